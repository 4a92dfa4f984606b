"""NLU on the held-out set: intent accuracy, entity F1 and the confusion list.

The evaluation runs in the rasa environment (scripts/nlu_eval.py) on the model for the
current training data; this module turns its JSON into tables.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench.table import Table
from tests.stack import ROOT, trained_model

RASA_PYTHON = ROOT / ".venv" / "rasa" / "bin" / "python"


def evaluate(model: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nlu.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
        proc = subprocess.run([str(RASA_PYTHON), "scripts/nlu_eval.py", "--model", model, "--json", str(out)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if not out.exists():
            raise RuntimeError(f"nlu_eval.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def run() -> list[Table]:
    model = trained_model()
    started = time.perf_counter()
    r = evaluate(model)
    seconds = time.perf_counter() - started

    summary = Table(f"Held-out NLU (tests/nlu/heldout.yml, model {r['model']})",
                    ["measure", "value", "target", "met"])
    summary.add("examples", r["examples"], "", "")
    summary.add("intent accuracy", r["intent_accuracy"], r["targets"]["intent_accuracy"],
                "yes" if r["intent_accuracy"] >= r["targets"]["intent_accuracy"] else "NO")
    summary.add("entity F1 (type + value)", r["entity_f1"], r["targets"]["entity_f1"],
                "yes" if r["entity_f1"] >= r["targets"]["entity_f1"] else "NO")
    summary.add("entity precision", r["entity_precision"], "", "")
    summary.add("entity recall", r["entity_recall"], "", "")
    summary.add("entities", r["entities"], "", "")
    summary.add("evaluation time (s)", round(seconds, 1), "", "")

    weak = Table("Intents below 100 % on the held-out set", ["intent", "correct", "total", "accuracy"])
    for intent, c in r["per_intent"].items():
        if c["correct"] < c["total"]:
            weak.add(intent, c["correct"], c["total"], c["correct"] / c["total"])

    confusions = Table("Confusion list", ["expected", "predicted", "confidence", "message"])
    for c in r["confusions"]:
        confusions.add(c["expected"], c["predicted"], c["confidence"], c["text"])

    entities = Table("Entity errors", ["expected", "predicted", "message"])
    for e in r["entity_errors"]:
        entities.add(", ".join(e["expected"]) or "-", ", ".join(e["predicted"]) or "-", e["text"])
    return [summary, weak, confusions, entities]
