"""Catalog import: the three formats, and every validation problem with file, row, column."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from knowledge.importers import import_bytes, import_file, strip_html
from knowledge.problems import ERROR, WARNING, ImportRefused

SHOPIFY_HEADER = ("Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,"
                  "Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Inventory Qty,"
                  "Variant Price,Variant Compare At Price,Image Src,Status\n")


def shopify(*rows: str) -> bytes:
    return (SHOPIFY_HEADER + "".join(r + "\n" for r in rows)).encode()


GOOD_SHOPIFY = shopify(
    'kurta,Cotton Kurta,"<p>Soft <b>cotton</b>&nbsp;kurta</p><ul><li>Band collar</li></ul>",Demo,Kurta,"kurta, men",'
    'TRUE,Size,S,Color,White,,,K-S-W,4,2490.00,2990.00,https://x/k1.jpg,active',
    "kurta,,,,,,,,S,,Black,,,K-S-B,0,2490.00,2990.00,,",
    "kurta,,,,,,,,M,,White,,,K-M-W,12,2590.00,,,",
    "kurta,,,,,,,,,,,,,,,,,https://x/k2.jpg,",
    "draft-suit,Draft Suit,,Demo,Suit,,FALSE,Title,Default Title,,,,,D-1,3,5000,,,draft",
    "old-suit,Old Suit,,Demo,Suit,,TRUE,Title,Default Title,,,,,O-1,3,5000,,,archived",
    "dupatta,Chiffon Dupatta,,Demo,Dupatta,,TRUE,Title,Default Title,,,,,C-1,7,990,,,active",
)


def problems_of(data: bytes, name: str = "products.csv") -> list:
    with pytest.raises(ImportRefused) as refused:
        import_bytes(data, name)
    return refused.value.problems


def test_shopify_export_spans_rows_per_product():
    result = import_bytes(GOOD_SHOPIFY, "products_export.csv")
    assert result.format == "shopify"
    kurta = result.catalog.products["kurta"]
    assert [(v.options, v.stock, v.price) for v in kurta.variants] == [
        ({"Size": "S", "Color": "White"}, 4, 2490.0), ({"Size": "S", "Color": "Black"}, 0, 2490.0),
        ({"Size": "M", "Color": "White"}, 12, 2590.0)]
    assert kurta.variants[0].compare_at_price == 2990.0 and kurta.variants[2].compare_at_price is None
    assert kurta.images == ("https://x/k1.jpg", "https://x/k2.jpg")  # the image-only row adds an image
    assert kurta.tags == ("kurta", "men")


def test_shopify_draft_and_archived_products_are_not_offered():
    result = import_bytes(GOOD_SHOPIFY, "products_export.csv")
    assert set(result.catalog.products) == {"kurta", "dupatta"}
    assert sorted(result.skipped) == ["draft-suit", "old-suit"]
    assert result.catalog.products["dupatta"].variants[0].options == {}  # "Default Title" is no option


def test_shopify_html_is_stripped():
    description = import_bytes(GOOD_SHOPIFY, "p.csv").catalog.products["kurta"].description
    assert description == "Soft cotton kurta\nBand collar"  # &nbsp; becomes a plain space
    assert strip_html("Fish &amp; chips<br>2 m") == "Fish & chips\n2 m"


def test_the_demo_export_imports_fifty_products(demo_catalog):
    assert len(demo_catalog) == 50
    assert "eid-collection-preview" not in demo_catalog.products  # draft in the export
    assert "old-season-lawn" not in demo_catalog.products  # archived in the export


def test_plain_csv_one_row_per_variant():
    data = ("product_id,title,type,size,colour,sku,price,compare_at_price,stock\n"
            "khussa,Multani Khussa,Khussa,7,Golden,MK-7G,2490,2990,3\n"
            "khussa,Multani Khussa,Khussa,8,Golden,MK-8G,2490,2990,0\n"
            "bag,Tote Bag,Bag,,Black,TB-B,5990,,\n").encode()
    result = import_bytes(data, "catalog.csv")
    assert result.format == "csv"
    khussa = result.catalog.products["khussa"]
    assert [(v.options, v.stock) for v in khussa.variants] == [({"Size": "7", "Colour": "Golden"}, 3),
                                                               ({"Size": "8", "Colour": "Golden"}, 0)]
    assert result.catalog.products["bag"].variants[0].stock is None  # untracked stock stays unknown


def test_json_format():
    document = {"products": [{"id": "kurta", "title": "Kurta", "options": ["Size", "Colour"], "tags": ["men"],
                              "variants": [{"sku": "K1", "options": {"Size": "M", "Colour": "Blue"}, "price": 2490,
                                            "compare_at_price": 2990, "stock": 5}]}]}
    result = import_bytes(json.dumps(document).encode(), "catalog.json")
    variant = result.catalog.products["kurta"].variants[0]
    assert (result.format, variant.options, variant.price, variant.stock) == ("json", {"Size": "M", "Colour": "Blue"},
                                                                              2490, 5)


def test_every_row_problem_is_reported_with_row_and_column():
    data = shopify(
        ",No Handle,,,,,TRUE,Title,Default Title,,,,,H-0,1,100,,,active",                    # row 2
        "no-title,,,,,,TRUE,Title,Default Title,,,,,NT-1,1,100,,,active",                    # row 3
        "bad-price,Bad Price,,,,,TRUE,Title,Default Title,,,,,BP-1,1,Rs. abc,,,active",      # row 4
        "neg-stock,Negative Stock,,,,,TRUE,Title,Default Title,,,,,NS-1,-2,100,,,active",    # row 5
        "dup-a,Dup A,,,,,TRUE,Title,Default Title,,,,,SAME,1,100,,,active",                  # row 6
        "dup-b,Dup B,,,,,TRUE,Title,Default Title,,,,,SAME,1,100,,,active",                  # row 7
        "unknown-option,Unknown Option,,,,,TRUE,Size,M,,Red,,,UO-1,1,100,,,active",          # row 8
    )
    found = {(p.row, p.column, p.message.split(" ")[0] + " " + p.message.split(" ")[1]) for p in problems_of(data)}
    assert found == {
        (2, "Handle", "missing Handle"),
        (3, "Title", "missing title"),
        (4, "Variant Price", "bad price"),
        (5, "Variant Inventory Qty", "negative stock"),
        (7, "Variant SKU", "duplicate SKU"),
        (8, "Option2 Value", "unknown option:"),
    }
    assert all(p.file == "products.csv" and p.severity == (WARNING if p.row == 7 else ERROR)
               for p in problems_of(data))


def test_a_repeated_sku_is_a_warning_and_both_variants_are_kept():
    """Shopify lets a SKU repeat (a merchant's export had 27 repeats); the variants differ by product and options."""
    result = import_bytes(shopify(
        "dup-a,Dup A,,,,,TRUE,Size,M,,,,,SAME,1,100,,,active",
        "dup-a,,,,,,,,L,,,,,SAME,2,100,,,",
        "dup-b,Dup B,,,,,TRUE,Title,Default Title,,,,,SAME,3,100,,,active"), "products.csv")
    assert [p.severity for p in result.warnings] == [WARNING, WARNING]
    assert [v.stock for p in result.catalog.products.values() for v in p.variants] == [1, 2, 3]


def test_unknown_option_in_json_names_the_variant():
    document = {"products": [{"id": "k", "title": "K", "options": ["Size"],
                              "variants": [{"sku": "K1", "options": {"Size": "M", "Fabric": "Silk"}, "price": 1}]}]}
    [problem] = problems_of(json.dumps(document).encode(), "c.json")
    assert (problem.row, problem.column) == (1, "variants[1].options.Fabric")
    assert "unknown option 'Fabric'" in problem.message


def test_missing_columns_are_reported():
    problems = problems_of(b"name,cost\nKurta,100\n", "c.csv")
    assert {(p.row, p.column) for p in problems if p.severity == ERROR} == {(1, "product_id"), (1, "title"), (1, "price")}


def test_non_utf8_file_names_the_row():
    data = "product_id,title,price\nk,Kurta,100\nd,Dupatta \xe9,90\n".encode("latin-1")
    [problem] = problems_of(data, "c.csv")
    assert problem.row == 3 and "not UTF-8" in problem.message


def test_byte_order_mark_is_a_warning_and_the_file_imports():
    result = import_bytes(codecs.BOM_UTF8 + b"product_id,title,price\nk,Kurta,100\n", "excel.csv")
    assert list(result.catalog.products) == ["k"]  # the header's first column is read despite the BOM
    assert [(w.severity, w.row) for w in result.warnings] == [(WARNING, 1)]


@pytest.mark.parametrize("data", [b"", b"  \n\n", codecs.BOM_UTF8])
def test_empty_file_is_refused(data):
    [problem] = problems_of(data)
    assert problem.message == "file is empty"


def test_a_100_mb_file_is_refused_before_reading(tmp_path: Path):
    big = tmp_path / "huge.csv"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: no disk or memory used
    with pytest.raises(ImportRefused) as refused:
        import_file(big)
    [problem] = refused.value.problems
    assert problem.file == "huge.csv" and "limit is 100 MB" in problem.message


def test_nothing_is_imported_when_one_row_is_fatal():
    data = shopify("ok,Fine Kurta,,,,,TRUE,Title,Default Title,,,,,OK-1,1,100,,,active",
                   "bad,Bad Kurta,,,,,TRUE,Title,Default Title,,,,,BAD-1,1,free,,,active")
    with pytest.raises(ImportRefused):
        import_bytes(data, "p.csv")
