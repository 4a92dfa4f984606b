"""Catalog versions under <data dir>/catalog: each version is a directory holding the
catalog and its FAISS index; CURRENT names the live one and is switched atomically,
only once a version is complete."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from knowledge.catalog import Catalog, CatalogDiff, diff
from knowledge.embeddings import model_id
from knowledge.index import build_vector_index, index_kind, load_vector_index, save_vector_index
from knowledge.search import ProductSearch, catalog_vectors

logger = logging.getLogger(__name__)

KEEP_VERSIONS = 3


@dataclass(frozen=True)
class Published:
    version: str
    changes: CatalogDiff
    index_kind: str
    seconds: float
    embedded: int = 0  # products whose text was encoded
    reused: int = 0  # products whose vector came from the previous version
    embed_seconds: float = 0.0  # of ``seconds``, spent finding the vectors


class CatalogStore:
    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / "catalog"
        self.versions = self.root / "versions"

    def current_version(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def load(self, version: str | None = None) -> ProductSearch | None:
        """The search over a version (default: the live one), or None when there is none."""
        version = version or self.current_version()
        if version is None:
            return None
        folder = self.versions / version
        return ProductSearch(self._catalog(version), load_vector_index(folder / "vectors.faiss"))

    def publish(self, catalog: Catalog, source: str = "") -> Published:
        """Embed and index ``catalog`` into a new version, then make it live. The live
        version keeps answering until the new one is complete; on any failure it stays.
        Products whose text the live version already embedded keep their vectors."""
        started = time.perf_counter()
        self.versions.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            live = self.current_version()
            previous = self._catalog(live) if live else None
            known = self._vectors_by_key(live) if live else {}
            embedding = time.perf_counter()
            vectors, keys = catalog_vectors(catalog, known)
            embedding = time.perf_counter() - embedding
            index = build_vector_index(vectors)
            as_json = catalog.to_json()
            # names sort in publishing order (pruning relies on it) and never repeat
            version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + f"-{catalog.fingerprint(as_json)}"
            staging = self.versions / f".{version}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            (staging / "catalog.json").write_text(as_json, encoding="utf-8")
            save_vector_index(index, staging / "vectors.faiss")
            (staging / "vector_keys.json").write_text(json.dumps(keys))
            reused = sum(key in known for key in keys)
            (staging / "meta.json").write_text(json.dumps({
                "products": len(catalog), "variants": sum(len(p.variants) for p in catalog.products.values()),
                "index": index_kind(index), "model": model_id(), "embedded": len(keys) - reused,
                "reused": reused, "source": source}, indent=2))
            os.rename(staging, self.versions / version)
            pointer = self.root / ".CURRENT.tmp"
            pointer.write_text(version)
            os.replace(pointer, self.root / "CURRENT")  # the switch: atomic on POSIX
            self._prune(keep=version)
        changes = diff(previous, catalog)
        return Published(version, changes, index_kind(index), time.perf_counter() - started,
                         embedded=len(keys) - reused, reused=reused, embed_seconds=embedding)

    def _catalog(self, version: str) -> Catalog:
        return Catalog.from_json((self.versions / version / "catalog.json").read_text(encoding="utf-8"))

    def _vectors_by_key(self, version: str) -> dict[str, np.ndarray]:
        """A version's vectors by text key; empty when it has none to offer (older layout,
        unreadable files): everything is then embedded afresh."""
        folder = self.versions / version
        try:
            keys = json.loads((folder / "vector_keys.json").read_text())
            index = load_vector_index(folder / "vectors.faiss")
        except (OSError, ValueError, RuntimeError) as exc:
            logger.info("catalog version %s: no vectors to reuse (%s)", version, exc)
            return {}
        if len(keys) != index.ntotal:
            logger.warning("catalog version %s: %d vector keys for %d vectors; not reusing them",
                           version, len(keys), index.ntotal)
            return {}
        return dict(zip(keys, index.reconstruct_n(0, index.ntotal)))

    def _prune(self, keep: str) -> None:
        versions = sorted(p for p in self.versions.iterdir() if not p.name.startswith("."))
        for old in versions[:-KEEP_VERSIONS]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
