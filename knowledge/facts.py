"""What an answer states, as facts checkable against the variant table and the store
profile, and the one guard that checks them before an answer is sent.

Answers are composed from these facts (each sentence says one or more of them), so when
every fact holds, every stated price, size, colour, stock and delivery term is true."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from knowledge.attributes import COLOUR, SIZE, option_kind, value_keys
from knowledge.catalog import Catalog, Product, Variant
from knowledge.profile import StoreProfile

AVAILABLE = "available"  # value: bool — some variant matching ``where`` is in stock
LEFT = "left"  # value: int — the matching variants have exactly this many pieces (a low count)
NOT_OFFERED = "not_offered"  # value: what was named — no variant of ``option`` is that (option None: no such option)
IN_STOCK = "in_stock"  # value: [values of ``option``] in stock among the variants matching ``where``
OFFERED = "offered"  # value: [values of ``option``] among the variants matching ``where``, in stock or not
PRICE = "price"  # value: (lowest, highest) price of the variants matching ``where``
COMPARE_AT = "compare_at"  # value: the compare-at price of a matching variant at the lowest price
DISCOUNT = "discount_percent"  # value: percent off that compare-at price
DELIVERY = "delivery"  # value: (city or None, days, charge)
DESCRIPTION = "description"  # value: a sentence quoted from the description or tags
IMAGE = "image"  # value: an image URL of the product
COMBINATION = "combination"
# not checked against the table: what the answer is about or offers
PRODUCT, CHOICES, UNKNOWN, ASK_WHICH, STORE = "product", "choices", "unknown", "ask_which", "store"


@dataclass(frozen=True)
class Fact:
    kind: str
    value: Any = None  # its type follows ``kind``
    product_id: str | None = None
    where: tuple[tuple[str, str], ...] = ()  # (option name, value) pairs the statement is about
    option: str | None = None

    def describe(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.where)
        return f"{self.kind}({self.product_id or ''}{' ' + where if where else ''}" \
               f"{' ' + self.option if self.option else ''}) = {self.value!r}"


def where_of(selection: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(selection.items())


def matching(product: Product, where: Iterable[tuple[str, str]]) -> list[Variant]:
    return [v for v in product.variants if all(v.options.get(name) == value for name, value in where)]


def violations(facts: list[Fact], catalog: Catalog | None, profile: StoreProfile) -> list[str]:
    """Every fact that the variant table or the profile contradicts (empty: all true)."""
    wrong = []
    for fact in facts:
        if not _holds(fact, catalog, profile):
            wrong.append(fact.describe())
    return wrong


def _values(variants: list[Variant], option: str) -> set[str]:
    return {v.options[option] for v in variants if option in v.options}


def _holds(fact: Fact, catalog: Catalog | None, profile: StoreProfile) -> bool:
    if fact.kind == DELIVERY:
        city, days, charge = fact.value
        named, rule = profile.delivery.for_city(city)
        return named == city and (rule.days, rule.charge) == (days, charge) if city else \
            (profile.delivery.default.days, profile.delivery.default.charge) == (days, charge)
    if fact.product_id is None:
        return True
    product = catalog.products.get(fact.product_id) if catalog else None
    if product is None:
        return False
    variants = matching(product, fact.where)
    if fact.kind == AVAILABLE:
        return bool(variants) and any(v.in_stock for v in variants) == fact.value
    if fact.kind == LEFT:
        stock = [v.stock for v in variants]
        return bool(stock) and None not in stock and sum(stock) == fact.value and \
            0 < fact.value <= profile.low_stock_threshold
    if fact.kind == NOT_OFFERED:
        return _not_offered(product, variants, fact)
    if fact.kind == IN_STOCK:
        return bool(variants) and set(fact.value) == _values([v for v in variants if v.in_stock], fact.option) \
            and len(fact.value) == len(set(fact.value))
    if fact.kind == OFFERED:
        return bool(variants) and set(fact.value) == _values(variants, fact.option)
    if fact.kind == PRICE:
        prices = [v.price for v in variants]
        return bool(prices) and tuple(fact.value) == (min(prices), max(prices))
    if fact.kind in (COMPARE_AT, DISCOUNT):
        low = min((v.price for v in variants), default=None)
        if low is None:  # no variant matches: no price to compare with
            return False
        compares = {v.compare_at_price for v in variants if v.price == low and v.compare_at_price}
        if fact.kind == COMPARE_AT:
            return fact.value in compares and fact.value > low
        return any(round(100 * (1 - low / c)) == fact.value for c in compares)
    if fact.kind == DESCRIPTION:  # quoted sentences joined by a space may stand on lines of their own
        return bool(fact.value) and (fact.value in " ".join(product.description.split()) or fact.value in product.tags)
    if fact.kind == IMAGE:
        return fact.value in product.images or any(v.image == fact.value for v in product.variants)
    return True


def _not_offered(product: Product, variants: list[Variant], fact: Fact) -> bool:
    """No variant matching ``where`` has ``option`` = the named value; with no option:
    value "combination" — no variant matches ``where`` at all; value "size"/"colour" — the
    product has no option of that kind."""
    if fact.option is not None:
        said = value_keys(str(fact.value)).exact
        return not any(said & value_keys(value).exact for value in _values(variants, fact.option))
    if fact.value == COMBINATION:
        return not variants
    return fact.value in (SIZE, COLOUR) and not any(option_kind(name) == fact.value for name in product.option_names)


@dataclass
class Answer:
    text: str
    product_id: str | None = None  # the product now being discussed
    buttons: list[dict] = field(default_factory=list)
    image: str | None = None
    facts: list[Fact] = field(default_factory=list)
    handoff_offered: bool = False
    response: str | None = None  # the domain response saying the same fixed sentence, if any
    options: dict[str, str] = field(default_factory=dict)  # the values it was about, for a follow-up

    def fact(self, kind: str, **match: Any) -> Fact | None:
        """The first fact of ``kind`` (whose fields equal ``match``), or None."""
        return next((f for f in self.facts if f.kind == kind
                     and all(getattr(f, k) == v for k, v in match.items())), None)

    def all(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]
