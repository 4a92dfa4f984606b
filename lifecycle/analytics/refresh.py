"""Keeping the daily summary current: recompute exactly the closed days that changed.

A refresh recomputes, from raw rows, every closed store day (before today in Karachi) not
summarised yet (after ``built_through``; on the first run, from the earliest row), and
each fact's days marked by a trigger since they were last summarised — whatever wrote
them: an old order delivered or returned weeks later, a late read receipt, a CSAT answer,
a bulk import with old dates. Nothing is recomputed on a guess ("the last N days"), and no
change is missed, because the marks come from the database, not from application code.

Each step is one transaction over at most ``chunk_days`` days: lock the state row (a
second refresher skips), read marks and raw rows in one snapshot, replace those days'
summary rows, move ``built_through`` on, and delete the marks of those days. A mark
written after the snapshot is not visible to that delete, so it survives for the next
refresh (on SQLite no write can happen meanwhile: the refresh holds the write lock).
Recomputing a day gives the same rows every time: refreshing is idempotent.

Runs every ``SAUDA_SUMMARY_REFRESH_S`` seconds beside the scheduler worker (the app server's
in-process worker or ``python -m lifecycle worker``); ``python -m lifecycle summary`` runs
it once, ``--rebuild`` from scratch.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Callable, Optional

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from lifecycle.analytics.facts import FACTS, encode, query
from lifecycle.analytics.period import STORE_ZONE
from lifecycle.analytics.summary import Change, DailyRow, SummaryState, hours_within, runs, snapshot, stale_days
from lifecycle.db.engine import Database
from lifecycle.domain.clock import Clock

logger = logging.getLogger(__name__)
CHUNK_DAYS = 31


def _lock(session: Session) -> Optional[SummaryState]:
    return session.scalar(select(SummaryState).where(SummaryState.id == 1).with_for_update(skip_locked=True))


def _earliest(session: Session) -> Optional[date]:
    columns = {FACTS[name](session).time for name in FACTS}
    found = [t for t in (session.scalar(select(func.min(column))) for column in columns) if t is not None]
    return min(found).astimezone(STORE_ZONE).date() if found else None


def _due(session: Session, state: SummaryState, closed: date) -> tuple[dict[str, set[date]], set[date]]:
    """``(closed days to recompute per fact, days not summarised yet)``."""
    first = state.built_through + timedelta(days=1) if state.built_through else _earliest(session)
    fresh = {first + timedelta(days=n) for n in range((closed - first).days + 1)} if first else set()
    stale = stale_days(session)
    return {name: fresh | {day for day in stale.get(name, ()) if day <= closed} for name in FACTS}, fresh


def _recompute(session: Session, name: str, days: set[date]) -> None:
    """Replace the fact's summary rows of these days, and forget their marks."""
    periods = runs(days)
    session.execute(
        delete(DailyRow).where(
            DailyRow.fact == name, or_(*(DailyRow.day.between(p.first_day, p.last_day) for p in periods))
        )
    )
    fact = FACTS[name](session)
    rows = [
        {"fact": name, "day": day, "group_keys": list(keys), "measures": encode(fact, values)}
        for day, keys, values in query(session, fact, periods)
    ]
    if rows:
        session.execute(insert(DailyRow), rows)
    for period in periods:
        first, end = hours_within(period)
        session.execute(delete(Change).where(Change.fact == name, Change.hour >= first, Change.hour < end))


def _compact(session: Session) -> None:
    """One mark per hour is enough (today's hours collect one per write until tomorrow)."""
    keep = select(func.min(Change.id)).group_by(Change.fact, Change.hour)
    session.execute(delete(Change).where(Change.id.not_in(keep)))


def refresh(
    db: Database, now: datetime, chunk_days: int = CHUNK_DAYS, stopping: Callable[[], bool] = lambda: False
) -> int:
    """Bring the summary up to date for the days closed at ``now``; returns how many days were
    recomputed (0 as well when another process holds the turn)."""
    closed = now.astimezone(STORE_ZONE).date() - timedelta(days=1)
    done = 0
    while not stopping():
        with snapshot(db) as session:
            state = _lock(session)
            if state is None:
                break
            state.refreshed_at = now
            due, fresh = _due(session, state, closed)
            days = sorted(set().union(*due.values()))[:chunk_days]  # the oldest first
            if not days:
                if state.built_through is None:
                    state.built_through = closed  # nothing recorded yet: every closed day is empty
                _compact(session)
                break
            for name, wanted in due.items():
                if wanted & set(days):
                    _recompute(session, name, wanted & set(days))
            if fresh & set(days):
                state.built_through = max(fresh & set(days))
        done += len(days)
    return done


def rebuild(db: Database, now: datetime) -> int:
    """Forget the summary and build it again from every raw row (after writes that bypassed the
    triggers, e.g. a restore with triggers disabled)."""
    with snapshot(db) as session:
        state = session.scalar(select(SummaryState).where(SummaryState.id == 1).with_for_update())
        session.execute(delete(DailyRow))
        state.built_through = None
    return refresh(db, now)


async def keep_fresh(db: Database, clock: Clock, stop: asyncio.Event, every: float) -> None:
    """Refresh every ``every`` seconds until ``stop`` is set (off the event loop: it is blocking SQL)."""
    while not stop.is_set():
        try:
            days = await asyncio.to_thread(refresh, db, clock.now(), CHUNK_DAYS, stop.is_set)
            if days:
                logger.info("dashboard summary: %d day(s) recomputed", days)
        except Exception:  # noqa: BLE001 - a failed refresh only leaves more days counted live
            logger.exception("dashboard summary refresh failed")
        try:
            await asyncio.wait_for(stop.wait(), every)
        except asyncio.TimeoutError:
            pass
