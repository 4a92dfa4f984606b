"""The touchpoint handler registry: built once from explicit tables, checked before a worker starts."""

from __future__ import annotations

import pytest

from lifecycle.domain import touchpoints
from lifecycle.domain.statuses import TouchpointKind
from lifecycle.engine import handlers
from lifecycle.engine.registry import HandlerRegistry, MissingHandlers
from lifecycle.flows import cart_recovery, csat, winback
from lifecycle.service import Lifecycle, handler_registry


def test_every_kind_sauda_schedules_has_exactly_one_handler(db):
    registry = handler_registry()
    assert set(registry) == set(TouchpointKind)
    with db.session() as session:
        registry.check(session)


def test_a_worker_without_one_flow_refuses_to_start(db, settings, clock):
    without_csat = HandlerRegistry(handlers.HANDLERS, cart_recovery.HANDLERS, winback.HANDLERS)
    lifecycle = Lifecycle(db, settings, clock=clock, handlers=without_csat)
    with pytest.raises(MissingHandlers, match="csat"):
        lifecycle.start_background()
    assert lifecycle.worker is None and lifecycle.supervisor is None


def test_a_waiting_touchpoint_of_an_unknown_kind_stops_the_start(db, clock):
    with db.session.begin() as session:
        touchpoints.schedule(session, "loyalty_points", "loyalty_points:1", clock.now(), clock.now())
    with db.session() as session, pytest.raises(MissingHandlers, match="loyalty_points"):
        handler_registry().check(session)


def test_two_handlers_for_one_kind_are_refused():
    with pytest.raises(ValueError, match="csat"):
        HandlerRegistry(handlers.HANDLERS, csat.HANDLERS, csat.HANDLERS)
