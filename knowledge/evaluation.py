"""Retrieval accuracy on a labelled question set (YAML list of {q, product, intent?, ...})."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.answers import answer
from knowledge.facts import CHOICES
from knowledge.question import Question
from knowledge.importers import import_file
from knowledge.live import DEMO_CATALOG
from knowledge.profile import DEMO_PROFILE, load_profile
from knowledge.search import ProductSearch


@dataclass(frozen=True)
class Report:
    correct: int
    total: int
    misses: list[str]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load_questions(path: Path) -> list[dict]:
    questions: list[dict] = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return questions


def question_of(item: dict) -> Question:
    return Question(text=item["q"], intent=item.get("intent"), language=item.get("language", "roman_urdu"),
                    current_product=item.get("current_product"))


def evaluate(items: list[dict], mode: str = "hybrid", catalog: Path = DEMO_CATALOG,
             profile: Path = DEMO_PROFILE) -> Report:
    """Top-1 product: the answer is about the expected product (or offers the expected
    choices, or says it does not know when ``product`` is null)."""
    search = ProductSearch.build(import_file(catalog).catalog)
    store = load_profile(profile)
    correct, misses = 0, []
    for item in items:
        if "product" not in item and "choices" not in item:
            continue
        reply = answer(search, store, question_of(item), mode=mode)
        choices = reply.fact(CHOICES)
        got = reply.product_id or (choices.value if choices else None)
        want = item.get("product") or item.get("choices")
        ok = got == want if not isinstance(want, list) else isinstance(got, list) and set(want) <= set(got)
        correct += ok
        if not ok:
            misses.append(f"{item['q']!r}: expected {want}, got {got}")
    total = sum(1 for i in items if "product" in i or "choices" in i)
    return Report(correct, total, misses)
