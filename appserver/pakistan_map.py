"""An offline map for the tracking page: Pakistan's outline as an SVG path with the parcel's
cities on it (origin, scan locations, destination). No tiles, no requests: the outline is a
coarse polygon of the border and the cities come from lifecycle/domain/cities.py."""

from __future__ import annotations

from dataclasses import dataclass

from lifecycle.domain.cities import CITIES

# The border, clockwise from the coast at the Iranian border: (longitude, latitude), coarse.
OUTLINE = [
    (61.6, 25.2), (62.3, 25.1), (63.5, 25.2), (64.6, 25.2), (65.6, 25.4), (66.6, 25.4), (67.0, 24.8),
    (67.5, 24.0), (68.2, 23.7), (68.8, 24.3), (69.6, 24.3), (70.9, 24.3), (71.1, 24.6), (70.6, 25.7),
    (70.1, 26.6), (69.5, 27.0), (70.3, 27.8), (71.9, 27.9), (72.9, 29.0), (73.4, 29.9), (74.0, 30.4),
    (74.6, 31.1), (74.6, 31.9), (75.3, 32.3), (74.7, 32.5), (74.3, 33.0), (74.0, 33.5), (73.9, 34.0),
    (74.3, 34.8), (75.5, 34.6), (77.0, 35.5), (77.8, 35.5), (76.5, 36.1), (75.9, 36.7), (75.0, 37.0),
    (74.5, 37.0), (73.6, 36.9), (72.5, 36.8), (71.5, 36.3), (71.2, 36.0), (71.6, 35.3), (71.0, 34.6),
    (70.9, 34.0), (69.9, 34.0), (70.1, 33.3), (69.5, 33.0), (69.3, 32.5), (69.0, 31.6), (68.2, 31.8),
    (67.7, 31.5), (67.0, 31.2), (66.4, 30.0), (65.0, 29.5), (64.2, 29.5), (63.0, 29.4), (62.5, 29.4),
    (60.9, 29.8), (61.5, 29.0), (61.8, 28.5), (62.7, 28.2), (62.8, 27.3), (63.3, 27.1), (63.2, 26.6),
    (62.3, 26.4), (61.8, 26.2),
]
WEST, EAST, SOUTH, NORTH = 60.5, 78.2, 23.3, 37.4
SCALE = 20  # SVG units a degree


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular, north up: good enough for a country this size drawn this small."""
    return round((longitude - WEST) * SCALE, 1), round((NORTH - latitude) * SCALE, 1)


WIDTH, HEIGHT = project(SOUTH, EAST)
OUTLINE_PATH = "M" + " L".join(f"{x},{y}" for x, y in (project(lat, lon) for lon, lat in OUTLINE)) + " Z"


@dataclass(frozen=True)
class Pin:
    city: str
    x: float
    y: float
    role: str  # origin | scan | destination


def pins(origin: str | None, scans: list[str], destination: str | None) -> list[Pin]:
    """The cities to mark, each once, in travel order; unknown names are left off."""
    seen: dict[str, str] = {}
    for city, role in [(origin, "origin"), *((s, "scan") for s in scans), (destination, "destination")]:
        if city in CITIES:
            seen[city] = role if city not in seen or role == "destination" else seen[city]
    return [Pin(city, *project(*CITIES[city]), role) for city, role in seen.items()]
