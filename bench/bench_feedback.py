"""The CSAT free-text classifier (lifecycle/flows/sentiment.py) on the independent feedback set
(tests/nlu/feedback.yml) and, for comparison, by 5-fold cross-validation of its training
data (data/feedback/): complaint recall, praise precision, abstentions, by language."""
from __future__ import annotations

import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

from bench.table import Table
from lifecycle.flows import sentiment

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "feedback.yml"
COMPLAINT_RECALL_TARGET = PRAISE_PRECISION_TARGET = 0.95
COMPLAINTS = ("negative", "mixed")


def heldout() -> list[dict]:
    return yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["feedback"]


def score(rows: Iterable[tuple[str, str]], classify: Callable[[str], Optional[str]]) -> dict:
    """Complaint recall (negative and mixed answers classified negative), praise precision
    (answers classified positive that are praise), and what was abstained on."""
    counts = defaultdict(int)
    misses = []
    for text, label in rows:
        got = classify(text)
        counts[f"{label}->{got}"] += 1
        counts[label] += 1
        if label in COMPLAINTS and got != "negative" or got == "positive" and label != "positive":
            misses.append((label, got, text))
    complaints = sum(counts[c] for c in COMPLAINTS)
    caught = sum(counts[f"{c}->negative"] for c in COMPLAINTS)
    praised = sum(v for k, v in counts.items() if k.endswith("->positive"))
    total = sum(counts[label] for label in sentiment.LABELS)
    return {"n": total, "complaints": complaints,
            "complaint_recall": caught / complaints if complaints else 1.0,
            "praise_precision": counts["positive->positive"] / praised if praised else 1.0,
            "praise_recall": counts["positive->positive"] / counts["positive"] if counts["positive"] else 1.0,
            "abstained": sum(v for k, v in counts.items() if k.endswith("->None")) / total if total else 0.0,
            "misses": misses}


def cross_validate(folds: int = 5) -> dict:
    """Folds over the labelled answers of data/feedback/; the NLU examples are always trained on."""
    answers = sentiment.load_examples(nlu=None)
    nlu = [e for e in sentiment.load_examples() if e not in set(answers)]
    random.Random(13).shuffle(answers)
    predictions = []
    for fold in range(folds):
        model = sentiment.train([e for i, e in enumerate(answers) if i % folds != fold] + nlu)
        predictions += [(text, label, sentiment.decide(model.probabilities(text))) for text, label in answers[fold::folds]]
    by_text = {text: got for text, _, got in predictions}
    return score([(text, label) for text, label, _ in predictions], by_text.__getitem__)


def run() -> list[Table]:
    rows = heldout()
    started = time.perf_counter()
    sentiment.model.cache_clear()
    sentiment.model()
    train_s = time.perf_counter() - started
    independent = score([(r["text"], r["label"]) for r in rows], sentiment.classify)
    cv = cross_validate()
    summary = Table(f"CSAT free-text classifier ({len(sentiment.load_examples())} training answers, "
                    f"trained in {train_s:.1f} s)",
                    ["set", "answers", "complaints", "complaint recall", "praise precision", "praise recall",
                     "abstained (follow-up)"])
    summary.add(f"independent (tests/nlu/feedback.yml); targets {COMPLAINT_RECALL_TARGET} / "
                f"{PRAISE_PRECISION_TARGET}", independent["n"], independent["complaints"],
                independent["complaint_recall"], independent["praise_precision"], independent["praise_recall"],
                independent["abstained"])
    summary.add("5-fold cross-validation of the answers in data/feedback/", cv["n"], cv["complaints"], cv["complaint_recall"],
                cv["praise_precision"], cv["praise_recall"], cv["abstained"])
    languages = Table("Independent set by language", ["language", "answers", "complaint recall", "praise precision"])
    for language in sorted({r.get("language", "-") for r in rows}):
        s = score([(r["text"], r["label"]) for r in rows if r.get("language", "-") == language], sentiment.classify)
        languages.add(language, s["n"], s["complaint_recall"], s["praise_precision"])
    misses = Table("Independent set: complaints not caught, and praise given where it was not",
                   ["label", "classified", "answer"])
    for label, got, text in independent["misses"]:
        misses.add(label, got or "follow-up", text)
    return [summary, languages, misses]
