"""The knowledge base one process answers from: the live catalog version and the store
profile, reloaded when either changes on disk. Loading and searching run in a worker
thread so the action server's event loop never waits on CPU work."""
from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

from knowledge.answers import Answer, answer
from knowledge.question import AVAILABILITY, Question, parse
from knowledge.resolve import resolve
from knowledge.embeddings import embed_query
from knowledge.importers import import_file
from knowledge.profile import StoreProfile, load_profile, profile_path
from knowledge.search import ProductSearch
from knowledge.versions import CatalogStore

logger = logging.getLogger(__name__)

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "demo" / "catalog.csv"


_SELL = frozenset("sell sells selling bechte bechtay rakhte rakhtay".split())
# "iPhone 13 ka mobile cover hai?": a thing asked for by "is there"; not "what is" ("score kya hai?",
# "mausam kaisa hai?": a question word just before the "hai?")
_ENDS_IN_HAI = re.compile(r"(\w+)\s+(?:hai|hain|he|hay)\s*\?+\s*$")
_QUESTION_WORDS = frozenset("kya kia kaisa kaisi kaise kahan kab kitna kitne kitni kaun kon".split())


def _asks_if_there_is(text: str) -> bool:
    ending = _ENDS_IN_HAI.search(text.lower())
    return ending is not None and ending.group(1) not in _QUESTION_WORDS


def data_dir() -> Path:
    return Path(os.environ.get("SAUDA_DATA_DIR", ".sauda"))


class KnowledgeBase:
    def __init__(self, root: Path):
        self.store = CatalogStore(root)
        self.root = root
        self._lock = threading.Lock()
        self._version: str | None = None
        self._search: ProductSearch | None = None
        self._profile: StoreProfile | None = None
        self._profile_stamp: tuple | None = None

    def search(self) -> ProductSearch | None:
        """The live catalog's search; switches to a new version once it is published."""
        version = self.store.current_version()
        if version != self._version:
            with self._lock:
                if version != self._version:
                    loaded = self.store.load(version)  # the old one answers until this returns
                    self._search, self._version = loaded, version
                    logger.info("catalog version %s live (%d products)", version, len(loaded.catalog) if loaded else 0)
        return self._search

    def profile(self) -> StoreProfile:
        """The store profile; an edited file that fails validation keeps the last good one."""
        path = profile_path(self.root)
        stat = path.stat()
        stamp = (str(path), stat.st_mtime_ns, stat.st_size)
        if stamp != self._profile_stamp:
            try:
                self._profile = load_profile(path)
            except Exception:
                if self._profile is None:
                    raise
                logger.exception("store profile %s is invalid; still using the previous one", path)
            self._profile_stamp = stamp
        if self._profile is None:  # not reached: the first load either succeeds or raises
            raise RuntimeError(f"no store profile loaded from {path}")
        return self._profile

    def answer(self, question: Question) -> Answer:
        return answer(self.search(), self.profile(), question)

    def about_a_product(self, question: Question) -> bool:
        """Whether the question names a product of the catalog, or asks something of the
        one just discussed (its sizes, a colour, its price...)."""
        search = self.search()
        if search is None:
            return False
        parsed = parse(question, search.vocabulary)
        found = resolve(search, parsed, current_product=question.current_product)
        if found.follow_up:
            return bool(parsed.mentions) or parsed.asks != AVAILABILITY
        # "Do you sell wrist watches?", "handbag milega?": asks for a product the catalog does not have
        return found.product is not None or bool(found.choices) or found.unknown and (
            parsed.availability_words or bool(parsed.words & _SELL) or _asks_if_there_is(question.text))

    def ensure_catalog(self) -> None:
        """Publish the demo catalog when no catalog has been imported yet, and load the index
        and the embedding model, so that the first customer does not wait for them."""
        if self.store.current_version() is None:
            result = import_file(DEMO_CATALOG)
            published = self.store.publish(result.catalog, source=str(DEMO_CATALOG))
            logger.info("no catalog yet: loaded the demo store (%s)", published.version)
        if self.search() is not None:
            embed_query("warm-up")


_bases: dict[Path, KnowledgeBase] = {}
_bases_lock = threading.Lock()


def knowledge_base(root: Path | None = None) -> KnowledgeBase:
    """The process-wide knowledge base for a data dir (default SAUDA_DATA_DIR)."""
    root = (root or data_dir()).resolve()
    with _bases_lock:
        return _bases.setdefault(root, KnowledgeBase(root))
