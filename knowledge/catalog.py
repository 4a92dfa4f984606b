"""The catalog: products, their variants, and the facts answers are built from."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Variant:
    sku: str
    options: dict[str, str]
    price: float
    compare_at_price: float | None = None
    stock: int | None = None  # None: the store does not track stock for it
    image: str = ""

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0


@dataclass(frozen=True)
class Product:
    id: str  # the store's handle, used in links and list-reply payloads
    title: str
    description: str = ""
    product_type: str = ""
    vendor: str = ""
    tags: tuple[str, ...] = ()
    option_names: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    images: tuple[str, ...] = ()

    def search_text(self) -> str:
        """What the embedding indexes: name, type and the start of the description.

        No option values: a question's product words never include its sizes and colours
        (``search.product_terms`` drops them), so they only pulled every vector towards
        "S M L White Black" (embeddings-only top-1 on the evaluation set: 83 % with them,
        88 % without). No tags: they repeat the name and type (a third of the tokens,
        and encoding time is proportional to tokens); the lexical index has them."""
        return " ".join(part for part in (self.title, self.product_type, self.description[:200]) if part)


_PRODUCT_FIELDS = tuple(f.name for f in fields(Product))
_VARIANT_FIELDS = tuple(f.name for f in fields(Variant))


@dataclass
class Catalog:
    products: dict[str, Product] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.products)

    def to_json(self) -> str:
        # by hand rather than dataclasses.asdict, which deep-copies every field (2 s at 10k products)
        return json.dumps({"products": [_product_dict(p) for p in self.products.values()]},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Catalog":
        products = {}
        for raw in json.loads(text)["products"]:
            variants = tuple(Variant(**v) for v in raw.pop("variants"))
            product = Product(**{**raw, "tags": tuple(raw["tags"]), "option_names": tuple(raw["option_names"]),
                                 "images": tuple(raw["images"]), "variants": variants})
            products[product.id] = product
        return cls(products)

    def fingerprint(self, as_json: str | None = None) -> str:
        """A short hash of the catalog; pass ``as_json`` when ``to_json()`` was already made."""
        return hashlib.sha256((as_json or self.to_json()).encode()).hexdigest()[:12]


def _variant_key(variant: Variant) -> str:
    """A variant's identity within its product: its options (SKUs may repeat in Shopify)."""
    return " / ".join(variant.options.values()) or variant.sku


def _product_dict(product: Product) -> dict:
    out = {name: getattr(product, name) for name in _PRODUCT_FIELDS}
    out["variants"] = [{name: getattr(v, name) for name in _VARIANT_FIELDS} for v in product.variants]
    for name in ("tags", "option_names", "images"):
        out[name] = list(out[name])
    return out


@dataclass(frozen=True)
class CatalogDiff:
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]  # product id -> what changed

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def diff(old: Catalog | None, new: Catalog) -> CatalogDiff:
    """What a re-import adds, removes and changes, product by product."""
    before = old.products if old else {}
    changed: dict[str, list[str]] = {}
    for pid in sorted(before.keys() & new.products.keys()):
        a, b = before[pid], new.products[pid]
        notes = [f"{name}: {getattr(a, name)!r} -> {getattr(b, name)!r}"
                 for name in ("title", "description", "product_type", "tags") if getattr(a, name) != getattr(b, name)]
        old_variants = {_variant_key(v): v for v in a.variants}
        new_variants = {_variant_key(v): v for v in b.variants}
        notes += [f"variant {sku} added" for sku in new_variants.keys() - old_variants.keys()]
        notes += [f"variant {sku} removed" for sku in old_variants.keys() - new_variants.keys()]
        for sku in sorted(old_variants.keys() & new_variants.keys()):
            va, vb = old_variants[sku], new_variants[sku]
            notes += [f"{sku} {name}: {getattr(va, name)} -> {getattr(vb, name)}"
                      for name in ("price", "compare_at_price", "stock", "options") if getattr(va, name) != getattr(vb, name)]
        if notes:
            changed[pid] = sorted(notes)
    return CatalogDiff(added=sorted(new.products.keys() - before.keys()),
                       removed=sorted(before.keys() - new.products.keys()), changed=changed)
