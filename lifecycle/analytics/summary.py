"""The daily summary: each fact's rows (facts.py) stored per closed store day, so a page
adds up a few hundred stored rows instead of aggregating a period of raw rows.

A page reads a day from the summary only when the summary is known to be exact for it:

- ``SummaryState.built_through``: every day up to it has been summarised (None: none yet);
- ``Change`` marks: database triggers (migration analytics_2) record, per fact, the hour of
  every row written that the fact counts, including hours a change reaches through a join
  (an old order's status → its placement day, a CSAT answer → the day it was asked, a new
  order → the win-back messages it converts). A marked day of a fact is stale until
  refreshed; the fact's other days and the other facts are not.

Every other day (today, days not yet summarised, stale days) is counted live from raw
rows, so a page always equals the raw computation; refresh.py keeps that set small.
Marks are UTC hours (epoch seconds ÷ 3600), mapped to store days here, so the triggers
need no time zone. Readers see marks, state and rows in one snapshot (``snapshot``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Iterator, Optional

from sqlalchemy import BigInteger, Index, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from lifecycle.analytics.facts import Fact, FactRow, decode, query
from lifecycle.analytics.period import STORE_ZONE, Period
from lifecycle.db.engine import Database
from lifecycle.db.models import Base

HOUR = 3600
Source = Callable[[str, Fact, Period], list[FactRow]]


class DailyRow(Base):
    """One fact row of one closed day: the group's keys and the measures, as facts.py returns them."""

    __tablename__ = "analytics_daily"
    __table_args__ = (Index("ix_analytics_daily_fact_day", "fact", "day"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fact: Mapped[str] = mapped_column(String(40))
    day: Mapped[date]
    group_keys: Mapped[list[Any]]
    measures: Mapped[list[Any]]  # money as text (exact), counts as numbers


class SummaryState(Base):
    """The one row (id 1) saying how far the summary reaches; refreshers lock it to take turns."""

    __tablename__ = "analytics_summary_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    built_through: Mapped[Optional[date]]
    refreshed_at: Mapped[Optional[datetime]]


class Change(Base):
    """A write to a row a fact counts, by the UTC hour it counts in (appended by triggers)."""

    __tablename__ = "analytics_changes"
    __table_args__ = (Index("ix_analytics_changes_fact_hour", "fact", "hour"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    fact: Mapped[str] = mapped_column(String(40))
    hour: Mapped[int] = mapped_column(BigInteger)


def days_of_hours(hours: Iterable[int]) -> set[date]:
    """The store days the given UTC hours overlap."""
    return {
        datetime.fromtimestamp(second, STORE_ZONE).date()
        for hour in hours
        for second in (hour * HOUR, hour * HOUR + HOUR - 1)
    }


def hours_within(period: Period) -> tuple[int, int]:
    """``[first, end)``: the UTC hours that lie wholly inside the period."""
    return -(-int(period.start.timestamp()) // HOUR), int(period.end.timestamp()) // HOUR


def runs(days: Iterable[date]) -> list[Period]:
    """Days as periods of consecutive days."""
    out: list[Period] = []
    for day in sorted(set(days)):
        if out and out[-1].last_day == day - timedelta(days=1):
            out[-1] = Period(out[-1].first_day, day)
        else:
            out.append(Period(day, day))
    return out


@dataclass(frozen=True)
class Coverage:
    """Which days the summary holds exactly, per fact."""

    built_through: Optional[date]
    stale: dict[str, frozenset[date]]

    def stored(self, fact: str, day: date) -> bool:
        return self.built_through is not None and day <= self.built_through and day not in self.stale.get(fact, ())

    def split(self, fact: str, period: Period) -> tuple[list[Period], list[Period]]:
        """``(from the summary, live)``: the period's days as runs."""
        days = [period.first_day + timedelta(days=n) for n in range(period.days)]
        return (runs(d for d in days if self.stored(fact, d)), runs(d for d in days if not self.stored(fact, d)))


def stale_days(session: Session) -> dict[str, set[date]]:
    """Per fact, the days with marks."""
    hours: dict[str, list[int]] = {}
    for fact, hour in session.execute(select(Change.fact, Change.hour).distinct()):
        hours.setdefault(fact, []).append(hour)
    return {fact: days_of_hours(marked) for fact, marked in hours.items()}


def coverage(session: Session) -> Coverage:
    stale = stale_days(session)
    built = session.scalar(select(SummaryState.built_through).where(SummaryState.id == 1))
    return Coverage(built, {fact: frozenset(days) for fact, days in stale.items()})


def stored_rows(session: Session, name: str, fact: Fact, periods: list[Period]) -> list[FactRow]:
    if not periods:
        return []
    statement = select(DailyRow.day, DailyRow.group_keys, DailyRow.measures).where(
        DailyRow.fact == name, or_(*(DailyRow.day.between(p.first_day, p.last_day) for p in periods))
    )
    return [(day, tuple(keys), decode(fact, values)) for day, keys, values in session.execute(statement)]


def raw(session: Session) -> Source:
    """Every day from raw rows (the baseline the summary must equal)."""
    return lambda name, fact, period: query(session, fact, [period])


def reader(session: Session) -> Source:
    """Days the summary holds exactly from it, the others from raw rows."""
    seen: list[Coverage] = []

    def rows(name: str, fact: Fact, period: Period) -> list[FactRow]:
        if not seen:
            seen.append(coverage(session))
        stored, live = seen[0].split(name, period)
        return stored_rows(session, name, fact, stored) + query(session, fact, live)

    return rows


@contextmanager
def snapshot(db: Database) -> Iterator[Session]:
    """One transaction that sees one snapshot: REPEATABLE READ on PostgreSQL; on SQLite every
    transaction already holds the write lock (lifecycle/db/engine.py)."""
    bind = db.engine.execution_options(isolation_level="REPEATABLE READ") if db.is_postgres else db.engine
    with db.session(bind=bind) as session, session.begin():
        yield session
