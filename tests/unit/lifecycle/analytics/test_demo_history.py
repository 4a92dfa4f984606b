"""The demo history has the advertised rates, is deterministic for a seed, and leaves nothing for the worker."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from lifecycle.analytics.demo_history import generate, is_empty
from lifecycle.analytics.metrics import Report
from lifecycle.analytics.period import Period
from lifecycle.db.engine import Database
from lifecycle.db.models import Order, OutboxMessage, Touchpoint

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=timezone.utc)  # noon in Karachi


def _history(db: Database, orders: int, seed: int = 7) -> list[tuple]:
    with db.session.begin() as session:
        assert is_empty(session)
        generate(session, NOW, orders=orders, seed=seed)
    with db.session() as session:
        return session.execute(
            select(Order.ref, Order.status, Order.amount, Order.city, Order.placed_at).order_by(Order.ref)
        ).all()


def test_rates_are_realistic(sqlite_db):
    rows = _history(sqlite_db, 2000)
    with sqlite_db.session() as session:
        h = Report(session, Period.days_ending(date(2026, 6, 1), 91)).headline()
        scheduled = session.scalar(select(func.count(Touchpoint.id)).where(Touchpoint.state != "done"))
        queued = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "queued"))
    assert h["orders"] == len(rows) == 2000  # all within the 90 days
    assert 0.65 < h["cod_share"] < 0.75
    assert 0.74 < h["cod_confirmed"] < 0.86
    assert 0.08 < h["rto_rate"] < 0.16
    assert 0.78 < h["csat_positive"] < 0.92
    assert h["recovered_carts"] > 100 and h["recovered_revenue"] > 0
    assert 0.5 < h["sla_compliance"] < 1 and h["escalations"] > 0
    assert h["winback_conversion"] > 0 and h["messages_failed"] > 0
    assert scheduled == 0 and queued == 0  # a running worker has nothing to send because of the demo


def test_same_seed_same_history(tmp_path):
    first, second, other = (Database(f"sqlite:///{tmp_path / name}.db").migrate() for name in ("a", "b", "c"))
    seven = _history(first, 150)
    assert _history(second, 150) == seven
    assert _history(other, 150, seed=8) != seven
