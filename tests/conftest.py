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
