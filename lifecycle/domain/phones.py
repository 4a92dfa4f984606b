"""Pakistani phone numbers in every customary form → E.164 ("+923001234567")."""
from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    pass


def to_e164(raw: str, region: str = "PK") -> str:
    """``03001234567``, ``0300-1234567``, ``+92 300 1234567``, ``923001234567``, ``00923001234567`` → E.164."""
    text = str(raw).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("92") and len("".join(c for c in text if c.isdigit())) == 12:
        text = "+" + text  # a wa_id: country code without the plus
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
