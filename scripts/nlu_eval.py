"""Held-out NLU evaluation: intent accuracy, entity F1 and the confusion list.

Runs in the rasa environment:

    PYTHONPATH=. .venv/rasa/bin/python scripts/nlu_eval.py [--model M] [--data F] [--json OUT]

The test set (tests/nlu/heldout.yml) is never used for training. Entities are scored on
(entity type, value) pairs after the training data's synonyms are applied to both sides,
because that is what an action receives: "safed" and "white" are the same colour, but a
transaction ID with a digit missing is wrong.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "tests" / "nlu" / "heldout.yml"
INTENT_TARGET = 0.97
ENTITY_F1_TARGET = 0.90


def current_model() -> str:
    out = subprocess.run([str(ROOT / "scripts" / "model.sh")], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return str(ROOT / out.stdout.strip().splitlines()[-1])


def _entity_pairs(entities, synonyms: dict[str, str]) -> Counter:
    pairs = Counter()
    for e in entities:
        value = str(e.get("value", ""))
        value = synonyms.get(value.lower(), value)
        pairs[(e["entity"], value.lower())] += 1
    return pairs


async def _evaluate(model: str, data: Path) -> dict:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)  # no per-message debug lines

    test = load_data(str(data))
    synonyms = {k.lower(): v for k, v in load_data(str(ROOT / "data" / "nlu")).entity_synonyms.items()}
    synonyms.update({k.lower(): v for k, v in test.entity_synonyms.items()})
    agent = Agent.load(model)

    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # correct, total
    confusions, entity_errors = [], []
    tp = fp = fn = 0
    by_entity: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    ranked: list[dict] = []
    for example in test.intent_examples:
        text, expected = example.get("text"), example.get("intent")
        parsed = await agent.parse_message(text)
        predicted = parsed["intent"]["name"]
        confidence = float(parsed["intent"].get("confidence") or 0.0)
        # the classifier's own ranking, without the FallbackClassifier's verdict
        ranking = [r for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
        ranked.append({"expected": expected,
                       "top": [(r["name"], float(r["confidence"])) for r in ranking[:2]]})
        per_intent[expected][1] += 1
        if predicted == expected:
            per_intent[expected][0] += 1
        else:
            confusions.append({"text": text, "expected": expected, "predicted": predicted,
                               "confidence": round(confidence, 3)})
        want = _entity_pairs(example.get("entities") or [], synonyms)
        got = _entity_pairs(parsed.get("entities") or [], synonyms)
        hit = sum((want & got).values())
        tp, fp, fn = tp + hit, fp + sum(got.values()) - hit, fn + sum(want.values()) - hit
        for (name, _), n in (want & got).items():
            by_entity[name][0] += n
        for (name, _), n in (got - want).items():
            by_entity[name][1] += n
        for (name, _), n in (want - got).items():
            by_entity[name][2] += n
        if want != got:
            entity_errors.append({"text": text, "expected": sorted(f"{k}={v}" for k, v in want.elements()),
                                  "predicted": sorted(f"{k}={v}" for k, v in got.elements())})
    total = sum(t for _, t in per_intent.values())
    correct = sum(c for c, _ in per_intent.values())
    precision, recall, f1 = _prf(tp, fp, fn)
    return {
        "model": os.path.basename(model),
        "examples": total,
        "intent_accuracy": correct / total if total else 0.0,
        "entity_precision": precision,
        "entity_recall": recall,
        "entity_f1": f1,
        "entities": tp + fn,
        "per_entity": {name: dict(zip(("precision", "recall", "f1"), _prf(*counts)), support=counts[0] + counts[2])
                       for name, counts in sorted(by_entity.items())},
        "per_intent": {k: {"correct": c, "total": t} for k, (c, t) in sorted(per_intent.items())},
        "confusions": confusions,
        "entity_errors": entity_errors,
        "targets": {"intent_accuracy": INTENT_TARGET, "entity_f1": ENTITY_F1_TARGET},
        "fallback_thresholds": fallback_table(ranked),
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def fallback_table(ranked: list[dict], ambiguity: float = 0.05) -> list[dict]:
    """Accuracy and fallback rate had FallbackClassifier used another threshold.

    Computed from the classifier's own ranking, so one model answers for every threshold.
    """
    rows = []
    for threshold in (0.0, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6):
        correct = fallback = 0
        for r in ranked:
            top = r["top"]
            if not top:
                continue
            unsure = top[0][1] < threshold or (
                threshold > 0 and len(top) > 1 and top[0][1] - top[1][1] < ambiguity)
            if unsure:
                fallback += 1
            elif top[0][0] == r["expected"]:
                correct += 1
        n = len(ranked) or 1
        rows.append({"threshold": threshold, "accuracy": correct / n, "fallback_rate": fallback / n})
    return rows


def evaluate(model: str, data: Path = DEFAULT_DATA) -> dict:
    return asyncio.run(_evaluate(model, data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model archive (default: scripts/model.sh)")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="held-out NLU YAML")
    parser.add_argument("--json", help="write the full result as JSON to this file ('-' = stdout)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    result = evaluate(args.model or current_model(), Path(args.data))
    if args.json:
        text = json.dumps(result, indent=2, ensure_ascii=False)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.json != "-":
        print(f"{result['examples']} held-out examples, model {result['model']}")
        print(f"intent accuracy {result['intent_accuracy']:.3f} (target {INTENT_TARGET})")
        print(f"entity F1 {result['entity_f1']:.3f} (P {result['entity_precision']:.3f}, "
              f"R {result['entity_recall']:.3f}, {result['entities']} entities; target {ENTITY_F1_TARGET})")
        for name, e in result["per_entity"].items():
            print(f"  entity {name}: F1 {e['f1']:.3f} (P {e['precision']:.3f}, R {e['recall']:.3f}, {e['support']})")
        for row in result["fallback_thresholds"]:
            print(f"  fallback threshold {row['threshold']:.2f}: accuracy {row['accuracy']:.3f}, "
                  f"fallback {row['fallback_rate']:.3f}")
        for c in result["confusions"]:
            print(f"  {c['expected']:>20} -> {c['predicted']:<20} {c['confidence']:.2f}  {c['text']}")
        for e in result["entity_errors"]:
            print(f"  entities: want {e['expected']} got {e['predicted']}  {e['text']}")
    ok = result["intent_accuracy"] >= INTENT_TARGET and result["entity_f1"] >= ENTITY_F1_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
