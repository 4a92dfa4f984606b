"""Search structures over product texts: a FAISS vector index and a lexical index of
canonical Roman Urdu / English tokens with a vowel-free "skeleton" for spelling slips."""
from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np
from scipy import sparse

from knowledge.roman_urdu import outline as consonants

# Below this many products an exact inner-product scan is fast enough (measured in
# bench/bench_knowledge.py: see bench/out/knowledge.md); above it, HNSW.
EXACT_SEARCH_MAX = 20_000
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 96


def build_vector_index(vectors: np.ndarray, exact_max: int = EXACT_SEARCH_MAX) -> faiss.Index:
    """Exact (IndexFlatIP) up to ``exact_max`` vectors, HNSW on inner product above."""
    dim = vectors.shape[1]
    index: faiss.Index
    if len(vectors) <= exact_max:
        index = faiss.IndexFlatIP(dim)
    else:
        hnsw = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index = hnsw
    index.add(vectors)
    _tune(index)
    return index


def _tune(index: faiss.Index) -> None:
    if isinstance(index, faiss.IndexHNSWFlat):
        index.hnsw.efSearch = HNSW_EF_SEARCH


def search_vectors(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, rows) of the ``k`` nearest vectors, searched on the calling thread only.

    FAISS spreads a search over OpenMP threads, one per core, and a thread that is not
    told otherwise keeps that default. While other processes kept the 2 cores busy, an
    exact search over 10k vectors took 16 ms that way and 0.3 ms on one thread (50k:
    24 ms and 4.7 ms): the threads wait for each other. One question is a small search."""
    if faiss.omp_get_max_threads() != 1:  # per thread, like OpenMP's own setting
        faiss.omp_set_num_threads(1)
    return index.search(queries, k)


def save_vector_index(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_vector_index(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    _tune(index)
    return index


def index_kind(index: faiss.Index) -> str:
    return "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "exact"


def skeleton(token: str) -> str | None:
    """Consonant outline of a word (``roman_urdu.outline``) as an index key: Roman Urdu
    spellings of one word mostly share it ("dupatta", "duppata" -> "dpt"). None for words
    too short to have a telling outline ("ideal" and "dulha" would both be "dl")."""
    outline = consonants(token)
    return "~" + outline if len(token) > 3 and len(outline) >= 3 else None


def term(token: str) -> str:
    """A token as the lexical index keys it: English plurals folded ("earrings" -> "earring")."""
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


SKELETON_WEIGHT = 0.6  # a skeleton match counts less than the word itself
DESCRIPTION_OUTLINES = 0.5  # words counting this much or less (the description's) get no outline


class LexicalIndex:
    """IDF-weighted share of the query's words found in each product's text; each
    document maps its words to how much they count (a name word 1, a description word less)."""

    def __init__(self, documents: list[dict[str, float]]):
        vocabulary: dict[str, int] = {}
        rows, cols, values = [], [], []
        for row, words in enumerate(documents):
            keyed: dict[str, float] = {}
            for word, weight in words.items():
                # outlines of name, type and tag words only: description words are too many to guess at
                for key in (term(word), skeleton(term(word)) if weight > DESCRIPTION_OUTLINES else None):
                    if key is not None:
                        keyed[key] = max(keyed.get(key, 0.0), weight)
            for key, weight in keyed.items():
                rows.append(row)
                cols.append(vocabulary.setdefault(key, len(vocabulary)))
                values.append(weight)
        self.vocabulary = vocabulary
        self.matrix = sparse.csc_matrix((np.array(values, dtype=np.float32), (rows, cols)),
                                        shape=(len(documents), len(vocabulary)))
        df = np.diff(self.matrix.indptr)
        self.idf = np.log1p(len(documents) / np.maximum(df, 1)).astype(np.float32)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Per product, the IDF-weighted fraction of the query words it contains. A word no
        product has counts as the rarest word: "school bag" is not half a "school shoe"."""
        weights: dict[int, float] = {}
        total = 0.0
        for word in dict.fromkeys(term(t) for t in tokens):
            column = self.vocabulary.get(word)
            outline = self.vocabulary.get(skeleton(word))
            if column is None and outline is None:
                total += math.log1p(self.matrix.shape[0])
                continue
            idf = float(self.idf[column if column is not None else outline])
            total += idf
            if column is not None:  # a product with the word also has its outline
                share = 1 - SKELETON_WEIGHT if outline is not None else 1.0
                weights[column] = weights.get(column, 0.0) + idf * share
            if outline is not None:
                weights[outline] = weights.get(outline, 0.0) + idf * SKELETON_WEIGHT
        if not weights:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        columns = list(weights)
        scores = self.matrix[:, columns] @ np.fromiter(weights.values(), dtype=np.float32, count=len(columns))
        normalised: np.ndarray = scores / max(total, math.ulp(1.0))
        return normalised
