import pytest

from lifecycle.integrations.couriers import courier_phone


@pytest.mark.parametrize(
    "raw",
    [
        "03001234567",
        "0300-1234567",
        "+92 300 1234567",
        "923001234567",
        "00923001234567",
        "0300 123 4567",
        "+923001234567",
    ],
)
def test_every_common_form_becomes_the_couriers_03_form(raw):
    assert courier_phone(raw) == "03001234567"


def test_other_mobile_networks():
    assert courier_phone("+92 345 6789012") == "03456789012"
    assert courier_phone("92-321-9876543") == "03219876543"


@pytest.mark.parametrize(
    "raw",
    [
        "042-35711111",  # Lahore landline: couriers text the customer
        "+44 7700 900123",  # not Pakistani
        "0300123456",  # a digit short
        "12345",
        "call me",
        "",
    ],
)
def test_anything_but_a_pakistani_mobile_is_refused(raw):
    with pytest.raises(ValueError):
        courier_phone(raw)
