"""Reading settings from the environment: each variable parsed to its type, with the default the
settings class declares, and an invalid value refused with the variable's name and what it
must be (``SettingsError``), so a typo stops the start with a message that points at it."""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path
from typing import Mapping, Optional, Sequence

DEFAULT_DATA_DIR = ".sauda"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class SettingsError(ValueError):
    """An environment variable whose value cannot be used; the message names it."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"{name}={value!r}: expected {expected} (see .env.example)")
        self.name = name


class Environment:
    """Typed reads of ``env`` (the process environment by default). A variable that is unset or
    empty takes the default given; one that is set must parse, or SettingsError."""

    def __init__(self, env: Optional[Mapping[str, str]] = None) -> None:
        self.env = os.environ if env is None else env

    def raw(self, name: str) -> Optional[str]:
        value = self.env.get(name)
        return value.strip() if value is not None and value.strip() else None

    def text(self, name: str, default: str = "") -> str:
        value = self.env.get(name)
        return default if value is None else value

    def first(self, names: Sequence[str], default: str = "") -> str:
        """The first of ``names`` that is set (a variable and its older spellings)."""
        return next((self.env[name] for name in names if self.env.get(name)), default)

    def integer(self, name: str, default: int, low: Optional[int] = None, high: Optional[int] = None) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(name, value, _bounds("a whole number", low, high)) from None
        if (low is not None and number < low) or (high is not None and number > high):
            raise SettingsError(name, value, _bounds("a whole number", low, high))
        return number

    def number(self, name: str, default: float, low: Optional[float] = None, high: Optional[float] = None,
               unit: float = 1.0) -> float:
        """A number; with ``unit``, the variable is in units of ``unit`` of the result (hours read
        into seconds: ``unit=3600``) and ``default`` is in the result's."""
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise SettingsError(name, value, _bounds("a number", low, high)) from None
        if number != number or (low is not None and number < low) or (high is not None and number > high):
            raise SettingsError(name, value, _bounds("a number", low, high))
        return number * unit

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise SettingsError(name, value, "1 or 0 (true/false, yes/no)")

    def choice(self, name: str, default: str, choices: Sequence[str]) -> str:
        value = self.raw(name)
        if value is None:
            return default
        if value not in choices:
            raise SettingsError(name, value, " or ".join(choices))
        return value

    def clock(self, name: str, default: time) -> time:
        value = self.raw(name)
        if value is None:
            return default
        try:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            raise SettingsError(name, value, "a time of day as HH:MM, e.g. 22:00") from None

    def numbers(self, name: str, default: tuple[float, ...], count: int, unit: float = 1.0) -> tuple[float, ...]:
        """``count`` increasing comma-separated numbers (in units of ``unit`` of the result)."""
        value = self.raw(name)
        if value is None:
            return default
        expected = f"{count} increasing numbers separated by commas"
        try:
            parts = tuple(float(part) * unit for part in value.split(","))
        except ValueError:
            raise SettingsError(name, value, expected) from None
        if len(parts) != count or not all(0 < a < b for a, b in zip(parts, parts[1:])) or parts[0] <= 0:
            raise SettingsError(name, value, expected)
        return parts

    def data_dir(self) -> Path:
        """SAUDA_DATA_DIR: the store profile, the merchant's saved settings, SQLite files."""
        return Path(self.raw("SAUDA_DATA_DIR") or DEFAULT_DATA_DIR)


def _bounds(kind: str, low: Optional[float], high: Optional[float]) -> str:
    if low is not None and high is not None:
        return f"{kind} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind}, at least {low:g}"
    if high is not None:
        return f"{kind}, at most {high:g}"
    return kind
