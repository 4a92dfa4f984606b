"""The CSAT free-text classifier (lifecycle/flows/sentiment.py) on the independent labelled
feedback set (tests/nlu/feedback.yml, written without seeing the training data): complaint
recall >= 95 %, praise precision >= 95 %; and the cases the old word list got wrong."""

from __future__ import annotations

import re

import pytest

from bench.bench_feedback import COMPLAINT_RECALL_TARGET, PRAISE_PRECISION_TARGET, heldout, score
from lifecycle.flows import sentiment


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def test_the_independent_set_is_200_answers_40_percent_complaints_and_none_is_training_data():
    rows = heldout()
    assert len(rows) >= 200 and sum(r["label"] in ("negative", "mixed") for r in rows) >= 0.4 * len(rows)
    training = {_key(text) for text, _ in sentiment.load_examples()}
    assert [r["text"] for r in rows if _key(r["text"]) in training] == []


@pytest.fixture(scope="module")
def independent() -> dict:
    return score([(r["text"], r["label"]) for r in heldout()], sentiment.classify)


def test_complaint_recall_on_the_independent_set(independent):
    assert independent["complaint_recall"] >= COMPLAINT_RECALL_TARGET, independent["misses"]


def test_praise_precision_on_the_independent_set(independent):
    assert independent["praise_precision"] >= PRAISE_PRECISION_TARGET, independent["misses"]


@pytest.mark.parametrize(
    "text",
    [  # the examples: not in the word list, or flipped by its "not"
        "size bohat chota",
        "picture se bilkul alag",
        "overpriced",
        "very bad experience not what I ordered",
        "quality achi hai lekin size chota hai",
    ],
)
def test_complaints_the_word_list_missed_are_complaints(text):
    assert sentiment.classify(text) == "negative"


def test_training_is_reproducible():
    examples = sentiment.load_examples()[:200]
    a, b = sentiment.train(examples), sentiment.train(examples)
    assert a.probabilities("kapra acha nahi tha") == b.probabilities("kapra acha nahi tha")


@pytest.mark.parametrize("positive, negative, mixed, expected", [
    (0.57, 0.32, 0.03, None),  # more likely praise than not, with some complaint: asked once more
    (0.40, 0.32, 0.03, "negative"),  # some complaint and no praise majority: a person
    (0.10, 0.10, 0.25, "negative"),  # mixed counts as a complaint
    (0.80, 0.10, 0.05, "positive"),
    (0.60, 0.10, 0.05, None),  # neither: the follow-up question
])
def test_the_decision_leans_to_a_person_unless_praise_is_the_majority(positive, negative, mixed, expected):
    p = {"positive": positive, "negative": negative, "mixed": mixed, "unclear": 1 - positive - negative - mixed}
    assert sentiment.decide(p) == expected
