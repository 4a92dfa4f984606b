"""Pakistan's larger cities with their coordinates, for the tracking page's map: the one place a
courier's location text or an order's city is read as a city (nothing else of that text is
shown)."""

from __future__ import annotations

import re
from typing import Optional

# name → (latitude, longitude)
CITIES: dict[str, tuple[float, float]] = {
    "Karachi": (24.86, 67.01), "Lahore": (31.55, 74.34), "Islamabad": (33.68, 73.05),
    "Rawalpindi": (33.60, 73.04), "Faisalabad": (31.42, 73.08), "Multan": (30.16, 71.52),
    "Hyderabad": (25.40, 68.37), "Peshawar": (34.01, 71.58), "Quetta": (30.18, 66.98),
    "Sialkot": (32.49, 74.53), "Gujranwala": (32.16, 74.19), "Bahawalpur": (29.40, 71.68),
    "Sargodha": (32.08, 72.67), "Sukkur": (27.70, 68.86), "Larkana": (27.56, 68.21),
    "Abbottabad": (34.15, 73.21), "Mardan": (34.20, 72.04), "Gujrat": (32.57, 74.08),
    "Sahiwal": (30.66, 73.11), "Rahim Yar Khan": (28.42, 70.30), "Dera Ghazi Khan": (30.05, 70.63),
    "Gwadar": (25.13, 62.32), "Nawabshah": (26.24, 68.41), "Mirpur Khas": (25.53, 69.01),
    "Jhelum": (32.93, 73.73), "Okara": (30.81, 73.45), "Sheikhupura": (31.71, 73.98),
    "Gilgit": (35.92, 74.31), "Muzaffarabad": (34.37, 73.47), "Kasur": (31.12, 74.45),
    "Mingora": (34.77, 72.36), "Dera Ismail Khan": (31.83, 70.90), "Chiniot": (31.72, 72.98),
    "Kohat": (33.58, 71.44), "Turbat": (26.00, 63.05),
}
ALIASES = {"isb": "Islamabad", "pindi": "Rawalpindi", "khi": "Karachi", "lhr": "Lahore", "fsd": "Faisalabad",
           "hyd": "Hyderabad", "dg khan": "Dera Ghazi Khan", "di khan": "Dera Ismail Khan", "swat": "Mingora",
           "ryk": "Rahim Yar Khan", "lyallpur": "Faisalabad"}
_NAMES = {name.lower(): name for name in CITIES} | ALIASES
_PATTERN = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True)) + r")\b")


def find_city(text: Optional[str]) -> Optional[str]:
    """The first known city named in ``text`` ("LHR Hub", "Arrived at Karachi facility"), else None."""
    match = _PATTERN.search(text or "")
    return _NAMES[match.group(1).lower()] if match else None
