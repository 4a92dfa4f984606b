"""Settings read from the environment once: typed, with the defaults the settings classes declare,
and a value that cannot be used refused with the variable's name, before anything starts."""
from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from appserver.settings import AppSettings
from lifecycle.__main__ import main as lifecycle_cli
from lifecycle.config.environment import Environment, SettingsError
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import database_url
from lifecycle.integrations.couriers.settings import CourierSettings


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SAUDA_WORKER_BATCH", "two hundred", "a whole number, at least 1"),
        ("SAUDA_WORKER_BATCH", "0", "a whole number, at least 1"),
        ("SAUDA_COD_REMINDER_AFTER_H", "2h", "a number, at least 0"),
        ("SAUDA_CSAT_AFTER_H", "nan", "a number, at least 0"),
        ("SAUDA_QUIET_START", "10pm", "a time of day as HH:MM"),
        ("SAUDA_QUIET_END", "25:00", "a time of day as HH:MM"),
        ("SAUDA_DEV_MODE", "maybe", "1 or 0"),
        ("SAUDA_COD_NO_ANSWER_ACTION", "ignore", "cancel or call"),
        ("SAUDA_WORKER", "separate", "inprocess or off"),
        ("SAUDA_CART_CODE_PERCENT", "50", "a whole number from 5 to 10"),
        ("SAUDA_CART_STAGES_MIN", "30,20,4320", "3 increasing numbers"),
        ("SAUDA_CART_STAGES_MIN", "30,1440", "3 increasing numbers"),
        ("SAUDA_RETENTION_SEEN_WAMID_DAYS", "3", "a whole number, at least 8"),
        ("WHATSAPP_SEND_RATE", "fast", "a number, at least 0.1"),
        ("SAUDA_APP_PORT", "70000", "a whole number from 1 to 65535"),
    ],
)
def test_an_invalid_value_is_refused_naming_the_variable(name, value, expected, tmp_path):
    with pytest.raises(SettingsError) as refused:
        LifecycleSettings.from_env({"SAUDA_DATA_DIR": str(tmp_path), name: value})
    assert refused.value.name == name
    assert str(refused.value).startswith(f"{name}={value!r}: expected {expected}")


def test_the_other_processes_settings_name_the_variable_too():
    with pytest.raises(SettingsError, match="^SAUDA_ACTIONS_PORT='x'"):
        AppSettings.from_env({"SAUDA_ACTIONS_PORT": "x"})
    with pytest.raises(SettingsError, match="^SAUDA_COURIER_POLL_SECONDS='-5'"):
        CourierSettings.from_env({"SAUDA_COURIER_POLL_SECONDS": "-5"})


def test_unset_or_empty_variables_take_the_declared_defaults(tmp_path):
    read = LifecycleSettings.from_env({"SAUDA_DATA_DIR": str(tmp_path), "SAUDA_WORKER_BATCH": ""})
    declared = LifecycleSettings(data_dir=tmp_path)
    fields = ("worker_batch", "cod_reminder_after", "quiet_start", "engagement")
    assert [getattr(read, f) for f in fields] == [getattr(declared, f) for f in fields]
    assert (read.privacy.outbox_days, read.privacy.seen_wamid_days) == (declared.privacy.outbox_days, 8)


def test_values_are_parsed_to_their_types_and_units(tmp_path):
    read = LifecycleSettings.from_env({
        "SAUDA_DATA_DIR": str(tmp_path), "SAUDA_COD_REMINDER_AFTER_H": "1.5", "SAUDA_QUIET_START": "23:30",
        "SAUDA_DEV_MODE": "yes", "SAUDA_CART_STAGES_MIN": "10,60,600", "SAUDA_WINBACK_BATCH": "500",
        "SAUDA_RETENTION_OUTBOX_DAYS": "30",
    })
    assert (read.cod_reminder_after, read.quiet_start, read.dev_mode) == (5400.0, time(23, 30), True)
    assert (read.engagement.cart_stage_delays, read.engagement.winback_batch) == ((600.0, 3600.0, 36000.0), 500)
    assert read.privacy.outbox_days == 30


def test_the_data_directory_is_read_in_one_place(tmp_path):
    env = {"SAUDA_DATA_DIR": str(tmp_path / "store")}
    assert Environment(env).data_dir() == tmp_path / "store"
    assert LifecycleSettings.from_env(env).data_dir == AppSettings.from_env(env).data_dir == tmp_path / "store"
    assert database_url(env) == f"sqlite:///{(tmp_path / 'store').resolve() / 'lifecycle.db'}"
    assert LifecycleSettings.from_env(env).privacy.channel_state_url == f"sqlite:///{tmp_path / 'store'}/channel.db"
    assert Environment({}).data_dir() == Path(".sauda")


def test_the_cli_stops_before_starting_with_the_variables_name(tmp_path, monkeypatch):
    monkeypatch.setenv("SAUDA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAUDA_WORKER_POLL_S", "often")
    with pytest.raises(SystemExit) as stopped:
        lifecycle_cli(["migrate"])
    assert str(stopped.value).startswith("not started: SAUDA_WORKER_POLL_S='often': expected a number")
    assert not (tmp_path / "lifecycle.db").exists()  # nothing was migrated
