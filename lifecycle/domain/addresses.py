"""Whether a delivery address can be found: a house, street or landmark named, not just a
city or a sentence about the address. A weak address on a new order makes Sauda ask for a
location pin and a landmark (engine/handlers.py ``address_confirmation``)."""

from __future__ import annotations

import re
from typing import Optional

_ADDRESS_WORDS = re.compile(r"(?i)\b(house|h\.?\s?no|street|st|gali|mohalla|mohallah|block|phase|sector|road|rd|"
                            r"near|colony|town|plot|flat|apartment|makan|ghar|chowk|bazar|bazaar|market|masjid|"
                            r"village|gaon|tehsil|district|society|lane)\b|\d|,|مکان|گلی|محلہ|نزد")
MIN_LENGTH = 10


def looks_like_address(text: str, city: Optional[str]) -> bool:
    """An address names a house, street or landmark ("mera address change karna hai" does not)."""
    return len(text) >= MIN_LENGTH and (
        bool(_ADDRESS_WORDS.search(text)) or (city is not None and len(text.split()) >= 3))


def weaknesses(address: str) -> list[str]:
    """Why a shop's delivery address may not be found by a rider (empty: it looks fine)."""
    text = address.strip()
    found = []
    if len(text) < MIN_LENGTH:
        found.append(f"shorter than {MIN_LENGTH} characters")
    if not _ADDRESS_WORDS.search(text):
        found.append("no house number, street, block or landmark")
    return found
