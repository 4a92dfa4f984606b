"""Versioned catalog: publish, re-import changes, atomic switch, failures leave the old one."""
from __future__ import annotations

import json

import pytest

from knowledge.answers import Question
from knowledge.importers import import_bytes
from knowledge.live import KnowledgeBase
from knowledge.problems import ImportRefused
from knowledge.search import ProductSearch
from knowledge.versions import CatalogStore


def catalog_json(products: dict[str, tuple[str, float, int]]) -> bytes:
    """A small JSON catalog: id -> (title, price, stock), one variant each."""
    return json.dumps({"products": [
        {"id": pid, "title": title, "variants": [{"sku": f"{pid}-1", "price": price, "stock": stock}]}
        for pid, (title, price, stock) in products.items()]}).encode()


FIRST = {"peshawari-chappal": ("Peshawari Chappal", 3990, 5), "ajrak-shawl": ("Ajrak Shawl", 1490, 9),
         "silk-scarf": ("Silk Scarf", 1390, 4)}
SECOND = {"peshawari-chappal": ("Peshawari Chappal", 4290, 5), "ajrak-shawl": ("Ajrak Shawl", 1490, 9),
          "potli-bag": ("Potli Bag", 1690, 2)}


def publish(store: CatalogStore, products: dict):
    return store.publish(import_bytes(catalog_json(products), "c.json").catalog)


def price_answer(kb: KnowledgeBase, text: str) -> str:
    return kb.answer(Question(text=text, intent="ask_price", language="english")).text


@pytest.fixture
def kb(tmp_path, demo_search) -> KnowledgeBase:  # demo_search: the model is loaded once
    return KnowledgeBase(tmp_path)


def test_reimport_reports_added_removed_and_changed(kb):
    first = publish(kb.store, FIRST)
    assert first.changes.added == sorted(FIRST) and first.changes.removed == []
    second = publish(kb.store, SECOND)
    assert second.changes.added == ["potli-bag"]
    assert second.changes.removed == ["silk-scarf"]
    assert list(second.changes.changed) == ["peshawari-chappal"]
    assert any("price: 3990.0 -> 4290.0" in note for note in second.changes.changed["peshawari-chappal"])
    assert kb.store.current_version() == second.version != first.version


def test_the_live_catalog_switches_to_the_new_version(kb):
    publish(kb.store, FIRST)
    assert "Rs 3,990" in price_answer(kb, "peshawari chappal price")
    publish(kb.store, SECOND)
    assert "Rs 4,290" in price_answer(kb, "peshawari chappal price")
    assert kb.search().catalog.products.keys() == SECOND.keys()


def test_a_refused_import_leaves_the_old_catalog_answering(kb):
    publish(kb.store, FIRST)
    version = kb.store.current_version()
    bad = json.dumps({"products": [{"id": "x", "title": "", "variants": [{"sku": "x1", "price": "free"}]}]})
    with pytest.raises(ImportRefused):
        kb.store.publish(import_bytes(bad.encode(), "c.json").catalog)
    assert kb.store.current_version() == version
    assert "Rs 3,990" in price_answer(kb, "peshawari chappal price")


def test_a_publish_failing_midway_leaves_the_old_catalog_answering(kb, monkeypatch, tmp_path):
    publish(kb.store, FIRST)
    version = kb.store.current_version()
    assert "Rs 3,990" in price_answer(kb, "peshawari chappal price")
    monkeypatch.setenv("SAUDA_EMBEDDING_MODEL", str(tmp_path / "no-such-model"))  # embedding will fail
    with pytest.raises(FileNotFoundError, match="embedding model not found"):
        publish(kb.store, SECOND)
    monkeypatch.delenv("SAUDA_EMBEDDING_MODEL")
    assert kb.store.current_version() == version
    assert "Rs 3,990" in price_answer(kb, "peshawari chappal price")
    assert [p.name for p in kb.store.versions.iterdir()] == [version]  # nothing half-written is left live


def test_a_reimport_encodes_only_the_products_whose_text_changed(kb):
    first = publish(kb.store, FIRST)
    assert (first.embedded, first.reused) == (3, 0)
    second = publish(kb.store, SECOND)  # a price changed, one product removed, one added
    assert (second.embedded, second.reused) == (1, 2)
    renamed = {**SECOND, "ajrak-shawl": ("Sindhi Ajrak Shawl", 1490, 9)}
    third = publish(kb.store, renamed)
    assert (third.embedded, third.reused) == (1, 2)
    live = kb.store.load()
    fresh = ProductSearch.build(live.catalog).vectors
    kept, encoded = live.vectors.reconstruct_n(0, 3), fresh.reconstruct_n(0, 3)
    assert min(float(a @ b) for a, b in zip(kept, encoded)) > 0.99  # reused vectors are the text's own
    assert "Rs 1,690" in price_answer(kb, "potli bag price")
    assert "Rs 1,490" in price_answer(kb, "sindhi ajrak shawl price")


def test_old_versions_are_pruned(kb):
    for price in (100, 200, 300, 400):
        publish(kb.store, {"ajrak-shawl": ("Ajrak Shawl", price, 1)})
    assert len(list(kb.store.versions.iterdir())) == 3
    assert "Rs 400" in price_answer(kb, "ajrak shawl price")


def test_the_demo_store_is_loaded_when_there_is_no_catalog(kb):
    assert kb.store.current_version() is None
    kb.ensure_catalog()
    assert len(kb.search().catalog) == 50
    version = kb.store.current_version()
    kb.ensure_catalog()  # a catalog exists now: nothing is re-imported
    assert kb.store.current_version() == version
