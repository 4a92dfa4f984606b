"""Touchpoint settings: validation, the effect each setting has, and that saved settings are what the engine
runs with, at start-up and while running."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from lifecycle.config import touchpoint_settings, watch
from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.settings import LifecycleSettings
from lifecycle.config.touchpoint_settings import TouchpointSettings
from lifecycle.db.models import Order, Touchpoint
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock
from lifecycle.engine.scheduler import Worker
from lifecycle.service import Lifecycle, handler_registry
from tests.unit.lifecycle.conftest import NOON_PKT, RecordingSender, cod_order


def test_effects_in_the_merchants_words():
    effects = TouchpointSettings(
        cart_stage_minutes=(45, 1440, 2880),
        cod_reminder_after_hours=1.5,
        cod_no_answer_after_hours=4,
        cod_no_answer_action="call",
    ).effects()
    assert effects[0] == (
        "Cart recovery: stage 1 goes 45 min after abandonment, stage 2 24 h after, "
        "stage 3 48 h after with a code for 10% off."
    )
    # 1.5 h + 4 h = 5.5 h after the order
    assert effects[1] == (
        "COD: a reminder 1.5 h after the confirmation question; with no answer 4 h later "
        "(5.5 h after the order), you are asked to call."
    )


def test_the_risk_effect_in_the_merchants_words():
    assert TouchpointSettings().effects()[-1] == (
        "COD risk: an advance of 50% of the order by JazzCash / Easypaisa is asked for a COD order from a phone "
        "with 3 or more returned orders; the order waits until the payment is verified.")
    assert CHOSEN.effects()[-1] == (
        "COD risk: an advance of Rs. 500 by JazzCash / Easypaisa is asked for a COD order from a phone with 2 or "
        "more returned orders or above Rs. 8,000 from a phone with no delivered order; the order waits until the "
        "payment is verified. A second open COD order from one phone within 1.5 h is held for a call.")
    assert TouchpointSettings(risk_advance_after_returns=0).effects()[-1] == "COD risk: no advance is asked."


@pytest.mark.parametrize(
    "change",
    [
        {"risk_advance_percent": 100},
        {"risk_duplicate_hours": -1},
        {"cart_stage_minutes": (30, 20, 4320)},  # stage 2 before stage 1
        {"cart_code_percent": 11},
        {"winback_90_percent": 14},
        {"cod_no_answer_action": "ignore"},
        {"quiet_start": time(9), "quiet_end": time(9)},
        {"csat_after_hours": 0},
    ],
)
def test_refused(change):
    with pytest.raises(ValidationError):
        TouchpointSettings(**change)


def test_saved_and_loaded(tmp_path):
    assert touchpoint_settings.load(tmp_path) == TouchpointSettings()  # defaults until saved
    chosen = TouchpointSettings(cart_code_percent=7, quiet_start=time(23, 30), cod_no_answer_action="call")
    touchpoint_settings.save(tmp_path, chosen)
    assert touchpoint_settings.load(tmp_path) == chosen


def test_the_pages_defaults_are_the_environment_settings_defaults():
    assert TouchpointSettings().applied(LifecycleSettings()) == LifecycleSettings()


# every setting away from its default
CHOSEN = TouchpointSettings(
    cart_stage_minutes=(10, 600, 1200),
    cart_code_percent=7,
    cod_reminder_after_hours=1,
    cod_no_answer_after_hours=4,
    cod_no_answer_action="call",
    payment_reminder_after_hours=3,
    csat_after_hours=48,
    quiet_start=time(23, 0),
    quiet_end=time(8, 0),
    winback_60_percent=20,
    winback_90_percent=18,
    escalation_sla_minutes=30,
    risk_advance_after_returns=2,
    risk_advance_percent=30,
    risk_advance_amount=500,
    risk_new_customer_cod_limit=8000,
    risk_duplicate_hours=1.5,
)


def test_saved_settings_become_the_engines_settings():
    engine = CHOSEN.applied(LifecycleSettings(events_secret="kept", engagement=EngagementSettings(winback_batch=7)))
    engagement = engine.engagement
    assert (
        engine.cod_reminder_after,
        engine.cod_no_answer_after,
        engine.cod_no_answer_action,
        engine.payment_reminder_after,
        engine.csat_after,
        engine.quiet_start,
        engine.quiet_end,
    ) == (3600, 4 * 3600, "call", 3 * 3600, 48 * 3600, time(23), time(8))
    assert (
        engagement.cart_stage_delays,
        engagement.cart_code_percent,
        engagement.sla_minutes,
        engagement.winback_60_percent,
        engagement.winback_90_percent,
    ) == ((600, 36000, 72000), 7, 30, 20, 18)
    assert (engine.risk_advance_after_returns, engine.risk_advance_percent, engine.risk_advance_amount,
            engine.risk_new_customer_cod_limit, engine.risk_duplicate_hours) == (2, 30, 500, 8000, 1.5)
    assert (engine.events_secret, engagement.winback_batch) == ("kept", 7)  # only the page's settings change


@pytest.mark.parametrize("field", list(TouchpointSettings.model_fields))
def test_each_setting_on_the_page_reaches_the_engine(field):
    defaults = TouchpointSettings().applied(LifecycleSettings())
    one = TouchpointSettings(**{field: getattr(CHOSEN, field)}).applied(LifecycleSettings())
    assert one != defaults


def test_saved_settings_are_laid_over_the_environment_at_start_up(tmp_path):
    env = {"SAUDA_DATA_DIR": str(tmp_path), "SAUDA_COD_REMINDER_AFTER_H": "5", "SAUDA_WORKER_BATCH": "7"}
    assert Lifecycle.from_env(env).settings.cod_reminder_after == 5 * 3600  # nothing saved: the environment's
    touchpoint_settings.save(tmp_path, CHOSEN)
    lifecycle = Lifecycle.from_env(env)
    assert lifecycle.settings.cod_reminder_after == 3600  # the page wins over the environment
    assert lifecycle.settings.engagement.cart_stage_delays == (600, 36000, 72000)
    assert lifecycle.settings.worker_batch == 7  # what the page does not set stays the environment's
    assert lifecycle.environment.cod_reminder_after == 5 * 3600


def test_without_the_saved_file_the_environments_settings_come_back(tmp_path, sqlite_db):
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path, cod_reminder_after=5 * 3600))
    touchpoint_settings.save(tmp_path, CHOSEN)
    lifecycle.use_saved()
    assert lifecycle.settings.cod_reminder_after == 3600
    (tmp_path / touchpoint_settings.FILE_NAME).unlink()
    lifecycle.use_saved()
    assert lifecycle.settings.cod_reminder_after == 5 * 3600


def test_a_saved_setting_changes_what_the_running_engine_does(tmp_path, sqlite_db):
    clock, sender = Clock(NOON_PKT), RecordingSender()
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path), clock=clock)
    lifecycle.worker = Worker(sqlite_db, lifecycle.settings, sender, handler_registry(), clock=clock, name="test")
    touchpoint_settings.save(tmp_path, CHOSEN)  # what the settings page does on save
    lifecycle.use_saved()
    with sqlite_db.session.begin() as session:
        order_id = orders.place(session, cod_order(), clock.now(), lifecycle.settings).id
        due = {t.kind: t.due_at for t in session.scalars(select(Touchpoint).where(Touchpoint.order_id == order_id))}
    assert due["cod_reminder"] - NOON_PKT == timedelta(hours=1)  # not the default 2 h
    assert due["cod_no_answer"] - NOON_PKT == timedelta(hours=5)
    clock.advance(5 * 3600)
    while asyncio.run(lifecycle.worker.run_once()):
        pass
    with sqlite_db.session() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.needs_call) == ("pending_confirmation", True)  # a call, not a cancellation
    assert lifecycle.settings.engagement.cart_stage_delays == (600, 36000, 72000)


def test_workers_follow_the_file(tmp_path, sqlite_db):
    lifecycle = Lifecycle(sqlite_db, LifecycleSettings(data_dir=tmp_path))

    async def save_and_wait() -> None:
        stop = asyncio.Event()
        following = asyncio.create_task(watch.follow(lifecycle.saved_files(), lifecycle.use_saved, stop, 0.02))
        await asyncio.sleep(0.05)
        touchpoint_settings.save(tmp_path, CHOSEN)
        for _ in range(200):
            if lifecycle.settings.cod_no_answer_action == "call":
                break
            await asyncio.sleep(0.02)
        stop.set()
        await following

    asyncio.run(save_and_wait())
    assert lifecycle.settings.cod_no_answer_action == "call"
    assert lifecycle.settings.engagement.winback_90_percent == 18
