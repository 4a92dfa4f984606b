"""The lifecycle names the store and its wallets as the merchant's store profile does,
unless the environment overrides them; a broken profile stops the start with its errors."""

from __future__ import annotations

import pytest

from knowledge.profile import DEMO_PROFILE
from lifecycle.config.settings import LifecycleSettings


def own_profile(tmp_path, name: str = "Noor Lawn House", jazzcash: str = "03111234567"):
    text = DEMO_PROFILE.read_text(encoding="utf-8")
    text = text.replace("store_name: Sauda Demo Store", f"store_name: {name}")
    text = text.replace(
        'jazzcash: {account_title: Sauda Demo Store, number: "03001234567"}',
        f'jazzcash: {{account_title: {name} (Pvt), number: "{jazzcash}"}}',
    )
    assert name in text and jazzcash in text, "the demo profile changed shape; update this test"
    path = tmp_path / "profile.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_store_name_and_wallets_come_from_the_profile(tmp_path):
    settings = LifecycleSettings.from_env({"SAUDA_STORE_PROFILE": str(own_profile(tmp_path))})
    assert settings.store_name == "Noor Lawn House"
    assert (settings.accounts["jazzcash"].number, settings.accounts["jazzcash"].title) == (
        "03111234567",
        "Noor Lawn House (Pvt)",
    )
    assert settings.accounts["easypaisa"].number == "03451234567"  # unchanged from the demo profile


def test_a_profile_in_the_data_directory_is_used(tmp_path):
    own_profile(tmp_path, name="Gul Ahmed Outlet")
    assert LifecycleSettings.from_env({"SAUDA_DATA_DIR": str(tmp_path)}).store_name == "Gul Ahmed Outlet"


def test_the_environment_overrides_the_profile(tmp_path):
    settings = LifecycleSettings.from_env(
        {
            "SAUDA_STORE_PROFILE": str(own_profile(tmp_path)),
            "SAUDA_STORE_NAME": "Other Name",
            "SAUDA_JAZZCASH_ACCOUNT": "03009998888",
        }
    )
    assert settings.store_name == "Other Name"
    assert (settings.accounts["jazzcash"].number, settings.accounts["jazzcash"].title) == (
        "03009998888",
        "Noor Lawn House (Pvt)",
    )


def test_a_broken_profile_stops_the_start_saying_what_is_wrong(tmp_path):
    path = own_profile(tmp_path, jazzcash="0300")
    with pytest.raises(SystemExit, match=r"jazzcash\.number"):
        LifecycleSettings.from_env({"SAUDA_STORE_PROFILE": str(path)})
