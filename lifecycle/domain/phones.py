"""Phone numbers in every customary form → E.164 ("+923001234567"): any country's number in
international form (a WhatsApp wa_id is one without the plus), Pakistani local forms too."""
from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    pass


def to_e164(raw: str, region: str = "PK") -> str:
    """``03001234567``, ``0300-1234567``, ``+92 300 1234567``, ``923001234567``, ``00923001234567``,
    ``971501234567``, ``+44 7911 123456`` → E.164. Bare digits not starting with 0 are read as
    international first (a wa_id), then as a local number of ``region``."""
    text = str(raw).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = "".join(c for c in text if c.isdigit())
    candidates = [text]
    if not text.startswith("+") and digits and not digits.startswith("0"):
        candidates.insert(0, "+" + digits)
    problem = "not a valid phone number"
    for candidate in candidates:
        try:
            parsed = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException as exc:
            problem = f"not a phone number: {exc}"
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    raise InvalidPhone(f"{raw!r} is {problem}")


def is_mobile(e164: str) -> bool:
    """A number WhatsApp and a rider's call can reach: mobile (or a country's mixed ranges), not a landline."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
