"""NLU on the independent held-out set and on its spelling-perturbed copy: intent accuracy,
entity F1 per entity, per-intent accuracy and the confusion list.

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
SETS = {"held-out": ROOT / "tests" / "nlu" / "heldout.yml",
        "held-out, spelling perturbed": ROOT / "tests" / "nlu" / "heldout_perturbed.yml"}
PERTURBED_TARGET = 0.94


def evaluate(model: str, data: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nlu.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
        proc = subprocess.run([str(RASA_PYTHON), "scripts/nlu_eval.py", "--model", model, "--data", str(data),
                               "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
        if not out.exists():
            raise RuntimeError(f"nlu_eval.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def run() -> list[Table]:
    model = trained_model()
    results, seconds = {}, {}
    for name, path in SETS.items():
        started = time.perf_counter()
        results[name] = evaluate(model, path)
        seconds[name] = time.perf_counter() - started
    first = next(iter(results.values()))
    summary = Table(f"NLU on the independent held-out set (tests/nlu/, model {first['model']})",
                    ["set", "messages", "intent accuracy", "target", "met", "entity F1", "entity P / R",
                     "evaluation (s)"])
    for name, r in results.items():
        target = r["targets"]["intent_accuracy"] if name == "held-out" else PERTURBED_TARGET
        summary.add(name, r["examples"], r["intent_accuracy"], target,
                    "yes" if r["intent_accuracy"] >= target else "NO", r["entity_f1"],
                    f"{r['entity_precision']:.2f} / {r['entity_recall']:.2f}", round(seconds[name], 1))

    entities = Table("Entity F1 per entity (type + value)", ["entity", "support"] + [
        f"F1 {name}" for name in results] + ["P / R held-out"])
    for entity, e in first["per_entity"].items():
        entities.add(entity, e["support"], *[r["per_entity"].get(entity, {}).get("f1", 0.0) for r in results.values()],
                     f"{e['precision']:.2f} / {e['recall']:.2f}")

    per_intent = Table("Per intent", ["intent"] + list(results))
    for intent in first["per_intent"]:
        per_intent.add(intent, *[f"{r['per_intent'][intent]['correct']}/{r['per_intent'][intent]['total']}"
                                 for r in results.values()])

    confusions = Table("Confusion list (held-out)", ["expected", "predicted", "confidence", "message"])
    for c in first["confusions"]:
        confusions.add(c["expected"], c["predicted"], c["confidence"], c["text"])
    return [summary, entities, per_intent, confusions]
