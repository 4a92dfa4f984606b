"""Knowledge fixtures: the demo store, indexed once per test session (one model load)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.importers import import_file
from knowledge.live import DEMO_CATALOG
from knowledge.profile import DEMO_PROFILE, load_profile
from knowledge.search import ProductSearch

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def demo_catalog():
    return import_file(DEMO_CATALOG).catalog


@pytest.fixture(scope="session")
def demo_search(demo_catalog) -> ProductSearch:
    return ProductSearch.build(demo_catalog)


@pytest.fixture(scope="session")
def demo_profile():
    return load_profile(DEMO_PROFILE)


@pytest.fixture(scope="session")
def demo_rows() -> dict[str, list[dict]]:
    """The demo export read with the csv module alone: handle -> its rows (the oracle)."""
    rows: dict[str, list[dict]] = {}
    with open(DEMO_CATALOG, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["Handle"], []).append(row)
    return rows


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory, demo_search):
    """A data dir with the demo store published, as SAUDA_DATA_DIR for the session."""
    import os

    from knowledge.live import knowledge_base

    root = tmp_path_factory.mktemp("sauda-data")
    previous = os.environ.get("SAUDA_DATA_DIR")
    os.environ["SAUDA_DATA_DIR"] = str(root)
    knowledge_base(root).ensure_catalog()
    yield root
    if previous is None:
        os.environ.pop("SAUDA_DATA_DIR")
    else:
        os.environ["SAUDA_DATA_DIR"] = previous
