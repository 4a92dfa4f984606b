"""Catalog import: Shopify's product CSV export, a plain one-row-per-variant CSV, and
Sauda's JSON format (see docs/catalog.md). Every problem is collected with its file,
row and column; any error refuses the whole file."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

from knowledge.catalog import Catalog, Product, Variant
from knowledge.problems import ERROR, MAX_IMPORT_BYTES, WARNING, ImportRefused, Problem, decode, read_file

OFFERED_STATUSES = ("active", "")


@dataclass
class RawVariant:
    """One variant as read, before validation; ``columns`` names where each field came from."""
    row: int | None
    columns: dict[str, str]
    options: dict[str, str]
    sku: str = ""
    price: str = ""
    compare_at_price: str = ""
    stock: str = ""
    image: str = ""


@dataclass
class RawProduct:
    id: str
    row: int | None
    title_column: str
    title: str = ""
    description: str = ""
    product_type: str = ""
    vendor: str = ""
    tags: list[str] = field(default_factory=list)
    option_names: list[str] = field(default_factory=list)
    status: str = "active"
    images: list[str] = field(default_factory=list)
    variants: list[RawVariant] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    catalog: Catalog
    format: str
    warnings: list[Problem]
    skipped: list[str]  # product ids not offered (draft / archived)


def import_file(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> ImportResult:
    """Parse and validate a catalog file; raises ImportRefused listing every problem."""
    return import_bytes(read_file(path, max_bytes), path.name, max_bytes)


def import_bytes(data: bytes, name: str, max_bytes: int = MAX_IMPORT_BYTES) -> ImportResult:
    """Parse and validate an uploaded catalog; raises ImportRefused listing every problem."""
    text, problems = decode(data, name, max_bytes)
    fmt = detect_format(name, text)
    raw_products = PARSERS[fmt](text, name, problems)
    catalog, skipped = _validate(raw_products, name, problems)
    if any(p.severity == ERROR for p in problems):
        raise ImportRefused(problems)
    if not catalog.products:
        raise ImportRefused(problems + [Problem(name, None, None, "no active product in the file")])
    return ImportResult(catalog, fmt, problems, skipped)


def detect_format(name: str, text: str) -> str:
    if name.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        return "json"
    header = next(csv.reader(io.StringIO(text)), [])
    return "shopify" if "Handle" in header and "Variant Price" in header else "csv"


# --- CSV: the two layouts share their reading, not their column names ---------------------

@dataclass(frozen=True)
class _CsvLayout:
    """Which column holds each field; a product's first row carries its details."""
    id: str
    title: str
    description: str
    type: str
    vendor: str
    tags: str
    sku: str
    price: str
    compare_at_price: str
    stock: str
    image: str  # the variant's own image


_VARIANT_FIELDS = ("sku", "price", "compare_at_price", "stock")


def _csv_rows(reader: csv.DictReader, layout: _CsvLayout, products: dict[str, RawProduct], name: str,
              problems: list[Problem]) -> Iterator[tuple[int, dict[str, str], RawProduct]]:
    """Each row's number, stripped cells and the product it belongs to, created in ``products``
    from its first row; a row without a product id is reported and skipped."""
    for row_number, row in enumerate(reader, start=2):
        cell = {k: (v or "").strip() for k, v in row.items() if k is not None}
        product_id = cell.get(layout.id, "")
        if not product_id:
            problems.append(Problem(name, row_number, layout.id, f"missing {layout.id}"))
            continue
        product = products.get(product_id)
        if product is None:
            product = products[product_id] = RawProduct(
                id=product_id, row=row_number, title_column=layout.title, title=cell.get(layout.title, ""),
                description=strip_html(cell.get(layout.description, "")), product_type=cell.get(layout.type, ""),
                vendor=cell.get(layout.vendor, ""), tags=_split_tags(cell.get(layout.tags, "")))
        yield row_number, cell, product


def _csv_variant(row_number: int, cell: dict[str, str], layout: _CsvLayout, options: dict[str, str],
                 option_columns: dict[str, str]) -> RawVariant:
    columns = {f: getattr(layout, f) for f in _VARIANT_FIELDS}
    return RawVariant(row=row_number, options=options, image=cell.get(layout.image, ""),
                      columns={**columns, **option_columns}, **{f: cell.get(c, "") for f, c in columns.items()})


# --- Shopify product export ---------------------------------------------------------------

SHOPIFY = _CsvLayout("Handle", "Title", "Body (HTML)", "Type", "Vendor", "Tags", "Variant SKU", "Variant Price",
                     "Variant Compare At Price", "Variant Inventory Qty", "Variant Image")


def _parse_shopify(text: str, name: str, problems: list[Problem]) -> list[RawProduct]:
    """Shopify's export: a product's first row carries its details and option names;
    following rows with the same Handle add variants (or only images)."""
    reader = csv.DictReader(io.StringIO(text))
    _require_columns(reader.fieldnames or [], ("Handle", "Title", "Variant Price"), name, problems)
    if any(p.severity == ERROR for p in problems):
        return []
    products: dict[str, RawProduct] = {}
    for row_number, cell, product in _csv_rows(reader, SHOPIFY, products, name, problems):
        if product.row == row_number:
            product.option_names = [cell.get(f"Option{i} Name", "") for i in (1, 2, 3)]
            product.status = _shopify_status(cell)
        if cell.get("Image Src"):
            product.images.append(cell["Image Src"])
        option_values = {i: cell.get(f"Option{i} Value", "") for i in (1, 2, 3)}
        if not (cell.get("Variant Price") or cell.get("Variant SKU") or any(option_values.values())):
            continue  # an image-only row
        options, columns = {}, {}
        for i, value in option_values.items():
            if not value or value == "Default Title":
                continue
            option_name = product.option_names[i - 1]
            if not option_name or option_name == "Title":
                problems.append(Problem(name, row_number, f"Option{i} Value",
                                        f"unknown option: value {value!r} but the product has no Option{i} Name"))
                continue
            options[option_name] = value
            columns[option_name] = f"Option{i} Value"
        product.variants.append(_csv_variant(row_number, cell, SHOPIFY, options, columns))
    for product in products.values():
        product.option_names = [n for n in product.option_names if n and n != "Title"]
    return list(products.values())


def _shopify_status(cell: dict[str, str]) -> str:
    if cell.get("Status"):
        return cell["Status"].lower()
    return "draft" if cell.get("Published", "").lower() == "false" else "active"


# --- plain CSV, one row per variant -----------------------------------------------------

PLAIN = _CsvLayout("product_id", "title", "description", "type", "vendor", "tags", "sku", "price", "compare_at_price",
                   "stock", "image")
PLAIN_COLUMNS = ("product_id", "title", "description", "type", "vendor", "tags", "size", "colour", "sku",
                 "price", "compare_at_price", "stock", "image", "status")


def _parse_plain_csv(text: str, name: str, problems: list[Problem]) -> list[RawProduct]:
    """One row per variant; rows sharing ``product_id`` form one product."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    _require_columns(header, ("product_id", "title", "price"), name, problems)
    for column in header:
        if column not in PLAIN_COLUMNS:
            problems.append(Problem(name, 1, column, f"unknown column {column!r} ignored; known columns: "
                                                    f"{', '.join(PLAIN_COLUMNS)}", WARNING))
    if any(p.severity == ERROR for p in problems):
        return []
    reader.fieldnames = header
    products: dict[str, RawProduct] = {}
    for row_number, cell, product in _csv_rows(reader, PLAIN, products, name, problems):
        if product.row == row_number:
            product.status = cell.get("status", "active").lower() or "active"
        options, columns = {}, {}
        for option, column in (("Size", "size"), ("Colour", "colour")):
            if cell.get(column):
                options[option] = cell[column]
                columns[option] = column
                if option not in product.option_names:
                    product.option_names.append(option)
        if cell.get("image"):
            product.images.append(cell["image"])
        product.variants.append(_csv_variant(row_number, cell, PLAIN, options, columns))
    return list(products.values())


# --- Sauda JSON ---------------------------------------------------------------------------

def _parse_json(text: str, name: str, problems: list[Problem]) -> list[RawProduct]:
    """``{"products": [{"id", "title", "options": [...], "variants": [{"options": {...}, ...}]}]}``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, exc.lineno, None, f"not valid JSON: {exc.msg} (line {exc.lineno}, "
                                                        f"column {exc.colno})"))
        return []
    items = document.get("products") if isinstance(document, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(name, None, "products", 'expected an object with a "products" list'))
        return []
    products = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(name, number, None, "a product must be an object"))
            continue
        product = RawProduct(
            id=str(item.get("id", "")).strip(), row=number, title_column="title",
            title=str(item.get("title", "")).strip(), description=strip_html(str(item.get("description", ""))),
            product_type=str(item.get("type", "")), vendor=str(item.get("vendor", "")),
            tags=[str(t) for t in item.get("tags", [])], option_names=[str(o) for o in item.get("options", [])],
            status=str(item.get("status", "active")).lower(), images=[str(i) for i in item.get("images", [])])
        if not product.id:
            problems.append(Problem(name, number, "id", "missing id"))
            continue
        for index, variant in enumerate(item.get("variants") or [], start=1):
            prefix = f"variants[{index}]"
            if not isinstance(variant, dict):
                problems.append(Problem(name, number, prefix, "a variant must be an object"))
                continue
            options = {str(k): str(v) for k, v in (variant.get("options") or {}).items()}
            product.variants.append(RawVariant(
                row=number, options=options, sku=str(variant.get("sku", "")).strip(),
                price=_text(variant.get("price")), compare_at_price=_text(variant.get("compare_at_price")),
                stock=_text(variant.get("stock")), image=str(variant.get("image", "")),
                columns={**{f: f"{prefix}.{f}" for f in _VARIANT_FIELDS},
                         **{o: f"{prefix}.options.{o}" for o in options}}))
        products.append(product)
    return products


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


PARSERS = {"shopify": _parse_shopify, "csv": _parse_plain_csv, "json": _parse_json}


# --- checks common to every format ---------------------------------------------------------

def _validate(raw_products: list[RawProduct], name: str, problems: list[Problem]) -> tuple[Catalog, list[str]]:
    catalog, skipped = Catalog(), []
    sku_rows: dict[str, int | None] = {}
    for raw in raw_products:
        for variant in raw.variants:
            # Shopify lets merchants repeat a SKU (exports do): variants are told apart by product
            # and options, so a repeat is worth a warning only
            if variant.sku and variant.sku in sku_rows:
                problems.append(Problem(name, variant.row, variant.columns["sku"],
                                        f"duplicate SKU {variant.sku!r} (first on row {sku_rows[variant.sku]})",
                                        WARNING))
            elif variant.sku:
                sku_rows[variant.sku] = variant.row
        if raw.status not in OFFERED_STATUSES:
            skipped.append(raw.id)
            continue
        product = _validate_product(raw, name, problems)
        if product is not None:
            if product.id in catalog.products:
                problems.append(Problem(name, raw.row, None, f"product id {product.id!r} appears twice"))
            catalog.products[product.id] = product
    return catalog, skipped


def _validate_product(raw: RawProduct, name: str, problems: list[Problem]) -> Product | None:
    errors_before = sum(p.severity == ERROR for p in problems)
    if not raw.title:
        problems.append(Problem(name, raw.row, raw.title_column, f"missing title for product {raw.id!r}"))
    if not raw.variants:
        problems.append(Problem(name, raw.row, None, f"product {raw.id!r} has no variant with a price"))
    variants: list[Variant] = []
    seen: dict[tuple[tuple[str, str], ...], int | None] = {}
    for index, rv in enumerate(raw.variants, start=1):
        for option in rv.options:
            if option not in raw.option_names:
                problems.append(Problem(name, rv.row, rv.columns.get(option),
                                        f"unknown option {option!r}; the product declares {raw.option_names}"))
        key = tuple(sorted(rv.options.items()))
        if key in seen:
            problems.append(Problem(name, rv.row, None, f"same options {dict(key)} as row {seen[key]}"))
        seen.setdefault(key, rv.row)
        price = _amount(rv, "price", name, problems, required=True)
        compare = _amount(rv, "compare_at_price", name, problems, required=False)
        stock = _stock(rv, name, problems)
        variants.append(Variant(sku=rv.sku or f"{raw.id}#{index}", options=rv.options, price=price or 0.0,
                                compare_at_price=compare if compare and price is not None and compare > price
                                else None, stock=stock, image=rv.image))
    if sum(p.severity == ERROR for p in problems) > errors_before:
        return None
    return Product(id=raw.id, title=raw.title, description=raw.description, product_type=raw.product_type,
                   vendor=raw.vendor, tags=tuple(raw.tags), option_names=tuple(raw.option_names),
                   variants=tuple(variants), images=tuple(dict.fromkeys(raw.images)))


_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _amount(rv: RawVariant, field_name: str, name: str, problems: list[Problem], required: bool) -> float | None:
    value = getattr(rv, field_name).replace(",", "")
    if not value:
        if required:
            problems.append(Problem(name, rv.row, rv.columns[field_name], "missing price"))
        return None
    if not _NUMBER.match(value):
        problems.append(Problem(name, rv.row, rv.columns[field_name],
                                f"bad price {getattr(rv, field_name)!r}: expected a number like 4990 or 4990.00"))
        return None
    return float(value)


def _stock(rv: RawVariant, name: str, problems: list[Problem]) -> int | None:
    if not rv.stock:
        return None
    try:
        stock = int(float(rv.stock)) if float(rv.stock).is_integer() else None
    except ValueError:
        stock = None
    if stock is None:
        problems.append(Problem(name, rv.row, rv.columns["stock"], f"bad stock {rv.stock!r}: expected a whole number"))
    elif stock < 0:
        problems.append(Problem(name, rv.row, rv.columns["stock"], f"negative stock {stock}"))
        return None
    return stock


def _require_columns(header: list[str], required: tuple[str, ...], name: str, problems: list[Problem]) -> None:
    for column in required:
        if column not in header:
            problems.append(Problem(name, 1, column, f"missing column {column!r}"))


def _split_tags(tags: str) -> list[str]:
    return [t.strip() for t in tags.split(",") if t.strip()]


class _TextOnly(HTMLParser):
    BREAKS = {"br", "p", "li", "div", "tr", "h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_html(text: str) -> str:
    """Shopify's Body (HTML) as plain text: tags dropped, entities decoded, lines kept."""
    if "<" not in text and "&" not in text:
        return " ".join(text.split())
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in html.unescape("".join(parser.parts)).splitlines())
    return "\n".join(line for line in lines if line)
