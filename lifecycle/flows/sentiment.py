"""Is a customer's free-text feedback praise, a complaint, or unclear? A trained classifier.

A multinomial logistic regression over hashed features of the text: character n-grams of
the words as typed (spelling variants, Urdu script) and word uni- and bigrams of their
spelling keys (knowledge/spelling.py), so "acha nahi tha", "not good" and "bad ... not what
I ordered" are read as phrases, not as words that a "not" flips. It is trained, in well under
a second, from the labelled feedback in data/feedback/ (positive, negative, mixed, unclear)
the first time it is needed, and kept.

The decision leans towards a person: a message is a complaint when the negative and mixed
classes together reach ``COMPLAINT_AT`` (mixed feedback, "quality achi hai lekin size chota
hai", is a complaint); praise only when the positive class reaches ``PRAISE_AT``; anything
in between abstains (the CSAT flow asks its one follow-up question).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
import yaml

from knowledge.roman_urdu import fold
from knowledge.spelling import spelling_key

DATA = Path(__file__).resolve().parents[2] / "data"
TRAINING_DATA = DATA / "feedback"
# NLU examples that are feedback too (opinions and complaints), or plainly are not (questions)
NLU_LABELS = {"csat_positive": "positive", "csat_negative": "negative", "complain": "negative",
              "order_status": "unclear", "ask_availability": "unclear", "ask_delivery": "unclear",
              "ask_details": "unclear", "ask_return_policy": "unclear"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
LABELS = ("positive", "negative", "mixed", "unclear")
# chosen by 5-fold cross-validation of the training data (python -m bench feedback): the
# lowest complaint threshold and highest praise threshold that keep both recall of complaints
# and precision of praise above 95 % there
COMPLAINT_AT = 0.3
PRAISE_AT = 0.7
# an answer the model finds more likely praise than not is no complaint even with some
# complaint in it ("excellent service, delivered in two days"): it gets the follow-up question
# (cross-validated: complaint recall 0.976 -> 0.966, praise precision unchanged at 0.963)
PRAISE_MAJORITY = 0.5
# outside the CSAT question a message is first of all not feedback: only a clear complaint counts
CLEAR_COMPLAINT_AT = 0.6
_DIMENSIONS = 1 << 18
_WORD = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)


def _features(text: str) -> np.ndarray:
    """Hashed feature indices of a text (a bag: repeats count)."""
    words = _WORD.findall(fold(text or ""))
    keys = [spelling_key(w) for w in words]
    grams = [f"w:{k}" for k in keys] + [f"b:{a} {b}" for a, b in zip(["<s>"] + keys, keys + ["</s>"])]
    for word in words:
        padded = f" {word} "
        grams += [f"c:{padded[i:i + n]}" for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1)]
    return np.fromiter((zlib.crc32(g.encode()) % _DIMENSIONS for g in grams), dtype=np.int64, count=len(grams))


def _weighted(idx: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct features of one text and their tf-idf values (sublinear tf, unit length)."""
    features, counts = np.unique(idx, return_counts=True)
    values = (1.0 + np.log(counts)) * idf[features]
    return features, values / max(float(np.linalg.norm(values)), 1e-9)


@dataclass
class Model:
    weights: np.ndarray  # (_DIMENSIONS, len(LABELS))
    bias: np.ndarray
    idf: np.ndarray  # (_DIMENSIONS,)

    def probabilities(self, text: str) -> dict[str, float]:
        features, values = _weighted(_features(text), self.idf)
        logits = values @ self.weights[features] + self.bias
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return dict(zip(LABELS, p.tolist()))


def train(examples: Iterable[tuple[str, str]], epochs: int = 300, l2: float = 1e-4, rate: float = 3.0) -> Model:
    """Full-batch gradient descent (Adam) on the softmax loss with L2, over sparse tf-idf rows."""
    texts, labels = zip(*examples)
    y = np.array([LABELS.index(label) for label in labels])
    bags = [_features(text) for text in texts]
    document_frequency = np.bincount(np.concatenate([np.unique(b) for b in bags]), minlength=_DIMENSIONS)
    idf = np.log((1 + len(bags)) / (1 + document_frequency)) + 1.0
    rows, cols, vals = [], [], []
    for r, bag in enumerate(bags):
        features, values = _weighted(bag, idf)
        rows.append(np.full(len(features), r))
        cols.append(features)
        vals.append(values)
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    used, cols = np.unique(cols, return_inverse=True)  # train only the features that occur
    n, k = len(texts), len(LABELS)
    w, b = np.zeros((len(used), k)), np.zeros(k)
    onehot = np.eye(k)[y]
    # classes weighted by inverse frequency: a rare "mixed" answer matters as much as praise
    class_weight = (n / (k * np.maximum(onehot.sum(axis=0), 1)))[y][:, None]
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    for step in range(1, epochs + 1):  # sparse products as bincounts (np.add.at is 10x slower)
        logits = np.stack([np.bincount(rows, vals * w[cols, c], minlength=n) for c in range(k)], axis=1) + b
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        err = (p - onehot) * class_weight / n
        g_w = np.stack([np.bincount(cols, vals * err[rows, c], minlength=len(used)) for c in range(k)], axis=1)
        g_w += l2 * w
        g_b = err.sum(axis=0)
        for g, m, v, param in ((g_w, m_w, v_w, w), (g_b, m_b, v_b, b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            param -= rate * 0.01 * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    weights = np.zeros((_DIMENSIONS, k))
    weights[used] = w
    return Model(weights, b, idf)


def load_examples(folder: Path = TRAINING_DATA, nlu: Optional[Path] = DATA / "nlu") -> list[tuple[str, str]]:
    """(text, label) pairs: the labelled answers of ``folder`` (``feedback: [{text, label}]``)
    and the NLU examples of the intents in ``NLU_LABELS``."""
    examples = []
    for path in sorted(folder.glob("*.yml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")).get("feedback") or []:
            if row["label"] not in LABELS:
                raise ValueError(f"{path}: unknown label {row['label']!r} (one of {', '.join(LABELS)})")
            examples.append((str(row["text"]), row["label"]))
    for path in sorted(nlu.glob("*.yml")) if nlu is not None else []:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            label = NLU_LABELS.get(block.get("intent"))
            if label is not None:
                examples += [(_ANNOTATION.sub(r"\1", line.strip()[2:]), label)
                             for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    return examples


@lru_cache(maxsize=1)
def model() -> Model:
    return train(load_examples())


def decide(p: dict[str, float]) -> Optional[str]:
    if p["negative"] + p["mixed"] >= COMPLAINT_AT and p["positive"] < PRAISE_MAJORITY:
        return "negative"
    if p["positive"] >= PRAISE_AT:
        return "positive"
    return None


def classify(text: str) -> Optional[str]:
    """``"negative"`` (a complaint, mixed feedback included), ``"positive"``, or None when unclear."""
    if not text or not text.strip():
        return None
    return decide(model().probabilities(text))


def is_complaint(text: str) -> bool:
    """A clear complaint, for messages that were not an answer to the CSAT question."""
    p = model().probabilities(text)
    return p["negative"] + p["mixed"] >= CLEAR_COMPLAINT_AT
