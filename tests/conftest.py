"""Shared fixtures. ``stack`` runs the real Rasa server, app server and simulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.stack import ROOT, start_stack, trained_model

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "whatsapp"


@pytest.fixture(scope="session")
def model() -> str:
    return trained_model()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, model):
    running = start_stack(tmp_path_factory.mktemp("stack"), model)
    yield running
    running.stop()


def load_fixture(file_name: str) -> dict:
    """Cases of one of Meta's webhook payload files (pywa's test data)."""
    path = FIXTURES / file_name
    if not path.exists():
        pytest.fail(f"webhook fixtures not found at {path}")
    return json.loads(path.read_text())


TESTS = Path(__file__).resolve().parent
# Test modules outside tests/stack/ that start processes with tests.stack's helpers (the other
# helpers' folders stay where they are; their process tests are tiered by what they use).
PROCESS_HELPERS = {"APP_PYTHON", "RASA_BIN", "start_stack", "app_only"}


def pytest_collection_modifyitems(items):
    """Tier every test: ``browser`` under tests/browser/, ``stack`` when it runs real processes
    (tests/stack/, the ``stack``/``model`` fixtures, or tests.stack's process helpers).
    The unit tier (tests/unit/) must not start processes (nor import subprocess): such a test
    fails at collection."""
    for item in items:
        folder = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        runs_processes = (
            folder == "stack"
            or {"stack", "model"} & set(item.fixturenames)
            or any(getattr(item.module, name, None) is not None for name in PROCESS_HELPERS)
            or (folder == "unit" and getattr(item.module, "subprocess", None) is not None)
        )
        if folder == "browser":
            item.add_marker(pytest.mark.browser)
        elif runs_processes:
            if folder == "unit":
                raise pytest.UsageError(f"{item.nodeid} starts processes: it belongs in tests/stack/")
            item.add_marker(pytest.mark.stack)
