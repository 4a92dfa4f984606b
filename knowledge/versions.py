"""Catalog versions under <data dir>/catalog: each version is a directory holding the
catalog and its FAISS index; CURRENT names the live one and is switched atomically,
only once a version is complete."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from knowledge.catalog import Catalog, CatalogDiff, diff
from knowledge.embeddings import model_path
from knowledge.index import index_kind, load_vector_index, save_vector_index
from knowledge.search import ProductSearch

KEEP_VERSIONS = 3


@dataclass(frozen=True)
class Published:
    version: str
    changes: CatalogDiff
    index_kind: str
    seconds: float


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
        catalog = Catalog.from_json((folder / "catalog.json").read_text(encoding="utf-8"))
        return ProductSearch(catalog, load_vector_index(folder / "vectors.faiss"))

    def publish(self, catalog: Catalog, source: str = "") -> Published:
        """Embed and index ``catalog`` into a new version, then make it live. The live
        version keeps answering until the new one is complete; on any failure it stays."""
        started = time.perf_counter()
        self.versions.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            previous = self.load()
            search = ProductSearch.build(catalog)
            # names sort in publishing order (pruning relies on it) and never repeat
            version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + f"-{catalog.fingerprint()}"
            staging = self.versions / f".{version}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            (staging / "catalog.json").write_text(catalog.to_json(), encoding="utf-8")
            save_vector_index(search.vectors, staging / "vectors.faiss")
            (staging / "meta.json").write_text(json.dumps({
                "products": len(catalog), "variants": sum(len(p.variants) for p in catalog.products.values()),
                "index": index_kind(search.vectors), "model": model_path(), "source": source}, indent=2))
            os.rename(staging, self.versions / version)
            pointer = self.root / ".CURRENT.tmp"
            pointer.write_text(version)
            os.replace(pointer, self.root / "CURRENT")  # the switch: atomic on POSIX
            self._prune(keep=version)
        changes = diff(previous.catalog if previous else None, catalog)
        return Published(version, changes, index_kind(search.vectors), time.perf_counter() - started)

    def _prune(self, keep: str) -> None:
        versions = sorted(p for p in self.versions.iterdir() if not p.name.startswith("."))
        for old in versions[:-KEEP_VERSIONS]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def _exclusive(self):
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
