"""Engagement fixtures: the lifecycle's databases (SQLite and the real PostgreSQL), clock,
recording sender and worker, plus a small catalog and store profile for product picks."""

from __future__ import annotations

import pytest

from knowledge.catalog import Catalog, Product, Variant
from knowledge.profile import DEMO_PROFILE, load_profile
from lifecycle.conversation.replies import Turn
from lifecycle.engine.templates import default as templates
from lifecycle.flows import catalog_picks
from tests.unit.lifecycle.conftest import (  # noqa: F401
    NOON_PKT,
    RecordingSender,
    clock,
    db,
    postgres_db,
    sender,
    settings,
    sqlite_db,
    worker,
)

PHONE = "+923001234567"


def _product(pid: str, title: str, kind: str, price: float, stock, tags=()) -> Product:
    return Product(
        id=pid,
        title=title,
        product_type=kind,
        tags=tuple(tags),
        option_names=("Size",),
        variants=(Variant(sku=f"{pid.upper()}-M", options={"Size": "M"}, price=price, stock=stock),),
    )


CATALOG = Catalog(
    {
        p.id: p
        for p in [
            _product("gulnaar-lawn", "Gulnaar Lawn 3-Piece", "Lawn Suit", 5490, 2),
            _product("noor-lawn", "Noor Printed Lawn", "Lawn Suit", 3990, 40),
            _product("sitara-lawn", "Sitara Embroidered Lawn", "Lawn Suit", 6490, 15),
            _product("old-lawn", "Purana Lawn", "Lawn Suit", 1990, 10, tags=("old season",)),
            _product("sold-lawn", "Bika Hua Lawn", "Lawn Suit", 2990, 0),
            _product("multani-khussa", "Multani Khussa", "Khussa", 2200, None),
        ]
    }
)


@pytest.fixture(autouse=True)
def engagement(settings):
    """The engagement settings the tests' lifecycle settings carry, and the test catalog for one
    test, removed after it."""
    catalog_picks.use(catalog_picks.Picks(CATALOG, load_profile(DEMO_PROFILE)))
    yield settings.engagement
    catalog_picks.use(None)


@pytest.fixture
def turn(clock, settings):
    """``turn(session, text, order_ref=…, phone=…)``: one customer message as the actions see it."""

    def make(session, text: str = "", order_ref=None, language="roman_urdu", phone=PHONE):
        return Turn(session, phone, language, clock.now(), settings, templates(), text=text, order_ref=order_ref)

    return make


def said(reply) -> list:
    return [(s.response, s.variables) if s.response else s.text for s in reply.says]
