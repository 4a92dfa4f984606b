"""Reporting periods: whole local days (Asia/Karachi), compared with the equal period before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, SQLColumnExpression, and_

STORE_ZONE = ZoneInfo("Asia/Karachi")
DAY = 86400
WEEK = 7 * DAY


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC; ``first_day``..``last_day`` are the store's local dates."""

    first_day: date
    last_day: date

    @classmethod
    def days_ending(cls, last_day: date, days: int) -> "Period":
        if days < 1:
            raise ValueError("a period is at least one day")
        return cls(last_day - timedelta(days=days - 1), last_day)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), STORE_ZONE)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time(), STORE_ZONE)

    def previous(self) -> "Period":
        """The period of equal length just before this one."""
        return Period.days_ending(self.first_day - timedelta(days=1), self.days)

    def contains(self, column: SQLColumnExpression[datetime]) -> ColumnElement[bool]:
        """``start <= column < end``: a range on the column, so an index on it is used."""
        return and_(column >= self.start, column < self.end)

    @property
    def step(self) -> int:
        """Chart bucket width in seconds: days up to 5 weeks, weeks beyond."""
        return DAY if self.days <= 35 else WEEK

    def bucket_labels(self) -> list[str]:
        """The first local date of each bucket, as ``YYYY-MM-DD``."""
        step_days = self.step // DAY
        return [(self.first_day + timedelta(days=n)).isoformat() for n in range(0, self.days, step_days)]

    def label(self) -> str:
        return f"{self.first_day:%d %b %Y} – {self.last_day:%d %b %Y}"
