"""Touchpoint settings: validation, the effect each setting has, the variable names the engine reads."""
from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from lifecycle import touchpoint_settings
from lifecycle.touchpoint_settings import TouchpointSettings


def test_effects_in_the_merchants_words():
    effects = TouchpointSettings(cart_stage_minutes=(45, 1440, 2880), cod_reminder_after_hours=1.5,
                                 cod_no_answer_after_hours=4, cod_no_answer_action="call").effects()
    assert effects[0] == ("Cart recovery: stage 1 goes 45 min after abandonment, stage 2 24 h after, "
                          "stage 3 48 h after with a code for 10% off.")
    # 1.5 h + 4 h = 5.5 h after the order
    assert effects[1] == ("COD: a reminder 1.5 h after the confirmation question; with no answer 4 h later "
                          "(5.5 h after the order), you are asked to call.")


@pytest.mark.parametrize("change", [
    {"cart_stage_minutes": (30, 20, 4320)},  # stage 2 before stage 1
    {"cart_code_percent": 11}, {"winback_90_percent": 14}, {"cod_no_answer_action": "ignore"},
    {"quiet_start": time(9), "quiet_end": time(9)}, {"csat_after_hours": 0},
])
def test_refused(change):
    with pytest.raises(ValidationError):
        TouchpointSettings(**change)


def test_saved_and_loaded_with_engine_variable_names(tmp_path):
    assert touchpoint_settings.load(tmp_path) == TouchpointSettings()  # defaults until saved
    chosen = TouchpointSettings(cart_code_percent=7, quiet_start=time(23, 30), cod_no_answer_action="call")
    touchpoint_settings.save(tmp_path, chosen)
    assert touchpoint_settings.load(tmp_path) == chosen
    env = chosen.environment()
    assert (env["SAUDA_CART_CODE_PERCENT"], env["SAUDA_QUIET_START"], env["SAUDA_COD_NO_ANSWER_ACTION"],
            env["SAUDA_CART_STAGES_MIN"]) == ("7", "23:30", "call", "30,1440,4320")
