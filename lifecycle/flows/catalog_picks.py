"""What the engagement messages take from the store's catalog and profile: stock left for a
scarcity line, products related to what a customer bought, new arrivals in their
categories, product links and review links.

Only facts the catalog states are used: no stock figure means no scarcity claim.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from knowledge.catalog import Catalog, Product
from knowledge.profile import StoreProfile

logger = logging.getLogger(__name__)
OLD_TAGS = {"old season"}


@dataclass(frozen=True)
class Pick:
    id: str
    title: str
    price: float
    url: str

    def line(self) -> str:
        return f"{self.title} (Rs. {self.price:,.0f}) {self.url}"


class Picks:
    def __init__(self, catalog: Optional[Catalog], profile: Optional[StoreProfile]) -> None:
        self.catalog = catalog
        self.profile = profile

    def product_for(self, item: dict[str, Any]) -> Optional[Product]:
        """The catalog product of an order or cart item, by SKU, else by its exact title."""
        if self.catalog is None:
            return None
        sku, name = item.get("sku"), (item.get("name") or "").strip().lower()
        for product in self.catalog.products.values():
            if (sku and any(v.sku == sku for v in product.variants)) or product.title.strip().lower() == name:
                return product
        return None

    def stock_left(self, item: dict[str, Any]) -> Optional[int]:
        """Pieces left of the item's variant (by SKU), when the store tracks stock for it."""
        product = self.product_for(item)
        if product is None or not item.get("sku"):
            return None
        variant = next((v for v in product.variants if v.sku == item["sku"]), None)
        return variant.stock if variant is not None else None

    @property
    def low_stock_threshold(self) -> int:
        return self.profile.low_stock_threshold if self.profile is not None else 0

    def categories(self, items: Iterable[dict[str, Any]]) -> list[str]:
        found = (self.product_for(item) for item in items)
        return list(dict.fromkeys(p.product_type for p in found if p is not None and p.product_type))

    def in_categories(
        self, categories: list[str], exclude: Iterable[dict[str, Any]], k: int, newest_first: bool = True
    ) -> list[Pick]:
        """Up to ``k`` in-stock products of these categories, not among ``exclude`` items.

        The catalog keeps the shop's own order, newest last in exports; ``newest_first``
        walks it from the end so the latest additions come first.
        """
        if self.catalog is None or not categories:
            return []
        bought = {p.id for p in (self.product_for(item) for item in exclude) if p is not None}
        products = list(self.catalog.products.values())
        if newest_first:
            products.reverse()
        picks = []
        for product in products:
            if (
                product.product_type in categories
                and product.id not in bought
                and not OLD_TAGS & set(product.tags)
                and any(v.in_stock for v in product.variants)
            ):
                picks.append(self.pick(product))
            if len(picks) == k:
                break
        return picks

    def pick(self, product: Product) -> Pick:
        price = min(v.price for v in product.variants) if product.variants else 0.0
        url = self.profile.product_url(product.id) if self.profile is not None else product.id
        return Pick(product.id, product.title, price, url)

    def review_links(self) -> list[str]:
        return list(self.profile.review_links.values()) if self.profile is not None else []


_override: Optional[Picks] = None


def use(picks: Optional[Picks]) -> None:
    """Tests: answer from this catalog and profile instead of the live knowledge base."""
    global _override
    _override = picks


def current() -> Picks:
    """The live catalog and store profile of this process (empty when none is loaded)."""
    if _override is not None:
        return _override
    from knowledge.live import knowledge_base

    base = knowledge_base()
    try:
        search = base.search()
        return Picks(search.catalog if search is not None else None, base.profile())
    except Exception:  # noqa: BLE001 - a broken catalog must not stop the messages that need no products
        logger.exception("catalog or store profile unavailable for engagement messages")
        return Picks(None, None)
