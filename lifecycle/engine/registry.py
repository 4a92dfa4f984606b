"""Which handler runs each kind of touchpoint: built once by the composition root from the
engine's and the flows' tables, and checked before a worker starts, so that a process missing
a flow refuses to start instead of never sending that flow's messages."""

from __future__ import annotations

from typing import Iterator, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.db.models import Touchpoint
from lifecycle.domain.statuses import TouchpointKind, TouchpointState
from lifecycle.engine.handlers import Handler


class MissingHandlers(RuntimeError):
    """Touchpoint kinds that no handler in this process runs."""


class HandlerRegistry(Mapping[str, Handler]):
    def __init__(self, *tables: Mapping[str, Handler]) -> None:
        self._handlers: dict[str, Handler] = {}
        for table in tables:
            twice = sorted(self._handlers.keys() & table.keys())
            if twice:
                raise ValueError(f"touchpoint kinds with two handlers: {', '.join(twice)}")
            self._handlers.update(table)

    def __getitem__(self, kind: str) -> Handler:
        return self._handlers[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers)

    def __len__(self) -> int:
        return len(self._handlers)

    def check(self, session: Session) -> None:
        """Raise MissingHandlers for every kind Sauda schedules, or any waiting in the table, without a handler."""
        waiting = set(
            session.scalars(
                select(Touchpoint.kind)
                .distinct()
                .where(Touchpoint.state.in_((TouchpointState.SCHEDULED, TouchpointState.CLAIMED)))
            )
        )
        missing = sorted((set(TouchpointKind) | waiting) - self._handlers.keys())
        if missing:
            raise MissingHandlers(
                f"no handler for touchpoint kind(s) {', '.join(missing)}: this process would never send them"
            )
