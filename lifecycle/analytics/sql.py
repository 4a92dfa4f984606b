"""SQL building blocks that differ between SQLite and PostgreSQL, so metric queries do not.

``epoch(column)`` is whole seconds since 1970 for a stored UTC time; bucketing by day or
week is integer arithmetic on it, the same on both engines. ``item_names`` unnests the
order's JSON item list (``json_each`` / ``json_array_elements``) for per-product counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, FromClause, SQLColumnExpression, case, func, literal_column, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from lifecycle.db.models import Order


class epoch(FunctionElement):
    """Whole seconds since the Unix epoch of a UTC timestamp column."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch"


@compiles(epoch)
def _epoch_postgres(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(floor(extract(epoch from {compiler.process(element.clauses, **kw)})) AS BIGINT)"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    # UTCDateTime stores naive UTC text on SQLite, which strftime reads as UTC
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def bucket(column: SQLColumnExpression[datetime], start: datetime, seconds: int) -> ColumnElement[int]:
    """0, 1, 2 … for each ``seconds``-long step after ``start`` (rows before it are filtered out)."""
    start_epoch = literal_column(str(int(start.timestamp())), BigInteger)
    return (epoch(column) - start_epoch) // literal_column(str(int(seconds)), BigInteger)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0 for an empty group)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def item_names(session: Session) -> tuple[FromClause, ColumnElement[Any]]:
    """``(from_clause, name)``: orders joined to one row per item, and that item's name."""
    if session.get_bind().dialect.name == "sqlite":
        items = func.json_each(Order.items).table_valued("value").alias("item")
        name: Any = func.json_extract(items.c.value, "$.name")
    else:
        items = func.json_array_elements(Order.items).table_valued("value").alias("item")
        name = items.c.value.op("->>")(literal_column("'name'"))
    return Order.__table__.join(items, true()), name
