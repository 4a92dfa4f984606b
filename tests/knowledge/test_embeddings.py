"""Embeddings: a catalog encoded in parallel batches gets the vectors of one-at-a-time
encodes, in its own order; a repeated question is not encoded again; the precision
setting is checked; a catalog survives its JSON form unchanged."""
from __future__ import annotations

import numpy as np
import pytest

from knowledge.catalog import Catalog
from knowledge.embeddings import _query_vector, clear_query_cache, dtype_name, embed, embed_query

# lengths from one word to a description, so that sorting by length reorders them
TEXTS = ["khussa", "Peshawari Chappal Chappal Hand-stitched leather Peshawari chappal with a double sole.",
         "ajrak shawl", "Gulnaar Embroidered Lawn 3-Piece Lawn Suit Unstitched 3-piece suit: embroidered lawn "
         "shirt, chiffon dupatta, dyed cotton trouser.", "tote bag", "jhumka golden", "Silk Scarf",
         "Kids Sandal Chappal Chappal Comfortable sandal chappal for kids.", "sherwani", "potli bag",
         "Mens Cotton Kurta Kurta Soft cotton kurta with a band collar.", "dupatta"]


@pytest.fixture(scope="module")
def one_by_one(demo_search) -> np.ndarray:  # demo_search: the model is loaded once per session
    return np.concatenate([embed([text]) for text in TEXTS])


def test_parallel_batches_give_each_text_its_own_vector(monkeypatch, one_by_one):
    monkeypatch.setenv("SAUDA_EMBEDDING_WORKERS", "3")
    together = embed(TEXTS, batch_size=2)  # six batches of mixed order on three threads
    assert together.shape == one_by_one.shape and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    similarity = together @ one_by_one.T
    assert list(similarity.argmax(axis=1)) == list(range(len(TEXTS)))  # every row is its own text's
    assert similarity.diagonal().min() > 0.99  # padding in a batch barely moves a vector


def test_a_repeated_question_comes_from_the_cache(one_by_one):
    clear_query_cache()
    first = embed_query(TEXTS[0])
    hits = _query_vector.cache_info().hits
    again = embed_query(TEXTS[0])
    assert again is first and _query_vector.cache_info().hits == hits + 1
    assert first.shape == (1, one_by_one.shape[1]) and float(first[0] @ one_by_one[0]) > 0.999
    with pytest.raises(ValueError):
        first[0, 0] = 0.0  # shared by every caller: read-only


def test_the_precision_setting_is_checked(monkeypatch):
    monkeypatch.setenv("SAUDA_EMBEDDING_DTYPE", "float32")
    assert dtype_name() == "float32"
    monkeypatch.setenv("SAUDA_EMBEDDING_DTYPE", "float64")
    with pytest.raises(ValueError, match="SAUDA_EMBEDDING_DTYPE"):
        dtype_name()


def test_a_catalog_survives_its_json_form(demo_catalog):
    text = demo_catalog.to_json()
    assert Catalog.from_json(text) == demo_catalog
    assert demo_catalog.fingerprint(text) == demo_catalog.fingerprint() == Catalog.from_json(text).fingerprint()
