"""Any country's number in international form is a customer; Pakistani local forms too."""
from __future__ import annotations

import pytest

from lifecycle.domain.phones import InvalidPhone, is_mobile, to_e164


@pytest.mark.parametrize("raw, e164", [
    ("03001234567", "+923001234567"), ("0300-1234567", "+923001234567"), ("+92 300 1234567", "+923001234567"),
    ("923001234567", "+923001234567"), ("00923001234567", "+923001234567"), ("3001234567", "+923001234567"),
    ("971501234567", "+971501234567"), ("+44 7911 123456", "+447911123456"), ("447911123456", "+447911123456"),
    ("0044 7911 123456", "+447911123456"), ("14155550123", "+14155550123"),
])
def test_customary_forms(raw, e164):
    assert to_e164(raw) == e164


@pytest.mark.parametrize("raw", ["", "12", "not-a-number", "+9999", "0300"])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone):
        to_e164(raw)


@pytest.mark.parametrize("number, mobile", [
    ("+923001234567", True), ("+924235761234", False), ("+922134567890", False), ("+971501234567", True)])
def test_mobile_or_landline(number, mobile):
    assert is_mobile(number) is mobile
