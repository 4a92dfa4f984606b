"""The vector index: exact and HNSW find the same nearest vectors, and a question's search
runs on the thread that asks (FAISS's one-thread-per-core default made it 50x slower on a
busy machine)."""
from __future__ import annotations

import threading

import faiss
import numpy as np

from knowledge.index import build_vector_index, index_kind, search_vectors


def unit_vectors(count: int, dim: int = 64) -> np.ndarray:
    vectors = np.random.default_rng(3).normal(size=(count, dim)).astype(np.float32)
    faiss.normalize_L2(vectors)
    return vectors


def test_exact_and_hnsw_find_each_vector_itself():
    vectors = unit_vectors(3000)
    exact, hnsw = build_vector_index(vectors), build_vector_index(vectors, exact_max=0)
    assert (index_kind(exact), index_kind(hnsw)) == ("exact", "hnsw")
    for index in (exact, hnsw):
        sims, rows = search_vectors(index, vectors[:50], 3)
        assert list(rows[:, 0]) == list(range(50)) and np.allclose(sims[:, 0], 1.0, atol=1e-5)


def test_a_search_runs_on_the_calling_thread_only():
    index = build_vector_index(unit_vectors(2000))
    seen = {}

    def ask():  # a fresh thread, as the action server's worker threads are
        seen["rows"] = search_vectors(index, unit_vectors(2000)[7:8], 1)[1]
        seen["after"] = faiss.omp_get_max_threads()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    assert seen["rows"][0, 0] == 7 and seen["after"] == 1
