"""The NLU on the held-out set (tests/nlu/heldout.yml): intent accuracy >= 95 %, entity F1 >= 0.9.

The held-out messages are never used for training; the first tests check that they stay
that way and that every intent has enough of them.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.stack import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"
CHANNEL_INTENTS = {"share_location", "send_media", "unsupported_message", "catalog_order", "choose_product"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _examples(path: Path) -> list[tuple[str, str]]:
    """(intent, plain text) of every example in an NLU YAML file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in doc.get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((block["intent"], _ANNOTATION.sub(r"\1", line[2:]).strip()))
    return found


def _domain_intents() -> set[str]:
    intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents.update(i if isinstance(i, str) else next(iter(i)) for i in doc.get("intents", []))
    return intents


def test_heldout_has_15_examples_for_every_typed_intent():
    counts = Counter(intent for intent, _ in _examples(HELDOUT))
    short = {i: counts[i] for i in _domain_intents() - CHANNEL_INTENTS if counts[i] < 15}
    assert not short, f"intents with fewer than 15 held-out examples: {short}"


def test_heldout_messages_are_not_in_the_training_data():
    training = {text.lower() for path in (ROOT / "data" / "nlu").rglob("*.yml") for _, text in _examples(path)}
    leaked = [text for _, text in _examples(HELDOUT) if text.lower() in training]
    assert not leaked, f"held-out messages copied into data/nlu: {leaked}"


@pytest.fixture(scope="module")
def heldout_result(model, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("nlu") / "heldout.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    proc = subprocess.run([str(RASA_PYTHON), "scripts/nlu_eval.py", "--model", model, "--json", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if not out.exists():
        pytest.fail(f"nlu_eval.py crashed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text(encoding="utf-8"))
    result["report"] = proc.stdout
    return result


def test_intent_accuracy_on_heldout_is_at_least_95_percent(heldout_result):
    assert heldout_result["intent_accuracy"] >= 0.95, heldout_result["report"]


def test_entity_f1_on_heldout_is_at_least_0_9(heldout_result):
    assert heldout_result["entity_f1"] >= 0.90, heldout_result["report"]


def test_a_sentence_that_merely_contains_stop_is_never_an_opt_out(heldout_result):
    wrong = [c for c in heldout_result["confusions"]
             if "stop" in c["text"].lower() and c["predicted"] == "opt_out"]
    assert not wrong, wrong
