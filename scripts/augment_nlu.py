"""Spelling variants of NLU examples (knowledge/spelling.py), generated, never committed.

    python scripts/augment_nlu.py train OUT_DIR [--variants N]   # data/nlu -> OUT_DIR, for training
    python scripts/augment_nlu.py perturb IN.yml OUT.yml         # the held-out set, every message varied
    python scripts/augment_nlu.py train OUT_DIR --fold K/N       # cross-validation: all but fold K, augmented
    python scripts/augment_nlu.py fold OUT_DIR --fold K/N        # ... and fold K as it is, for testing

``train`` copies every file of data/nlu and adds N variants after each intent example
(scripts/model.sh trains on the copy). ``perturb`` replaces each example by one variant,
for measuring the model on spellings it was not shown. Entity annotations
("[kala](colour)") keep their words, so their values and synonyms stay right. The random
choices are seeded by the example's own text: the output depends only on the input, so the
model fingerprint (scripts/model.sh) stays valid, and adding one example changes no other
example's variants. Standard library only (runs in either environment).
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import zlib
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.spelling import vary_text  # noqa: E402

_EXAMPLE = re.compile(r"^(\s*- )(.*)$")
_BLOCK = re.compile(r"^\s*- (intent|synonym|regex|lookup):")
_ANNOTATION = re.compile(r"\[[^\]]+\](?:\([^)]*\)|\{[^}]*\})")


def _vary_example(example: str, rng: random.Random, rate: float) -> str:
    """The example with its words outside entity annotations varied."""
    parts, last = [], 0
    for m in _ANNOTATION.finditer(example):
        parts.append(vary_text(example[last:m.start()], rng, rate))
        parts.append(m.group(0))
        last = m.end()
    parts.append(vary_text(example[last:], rng, rate))
    return "".join(parts)


def _in_fold(example: str, fold: tuple[int, int]) -> bool:
    return zlib.crc32(example.encode()) % fold[1] == fold[0]


def _rewrite(lines: list[str], variants: int, keep_original: bool, seed: str, rate: float,
             drop: Callable[[str], bool] = lambda example: False) -> list[str]:
    out, in_intent, seen = [], False, set()
    for line in lines:
        block = _BLOCK.match(line)
        if block:
            in_intent, seen = block.group(1) == "intent", set()
        m = _EXAMPLE.match(line) if in_intent and not block else None
        if m is None:
            out.append(line)
            continue
        prefix, example = m.groups()
        if drop(example):
            continue
        rng = random.Random(zlib.crc32(f"{seed}:{example}".encode()))
        if keep_original:
            out.append(line)
            seen.add(example)
        made = 0
        for _ in range(variants * 4):  # a few tries: short examples often come back unchanged
            if made == variants:
                break
            varied = _vary_example(example, rng, rate)
            if varied not in seen:
                seen.add(varied)
                out.append(f"{prefix}{varied}")
                made += 1
        if not keep_original and made == 0:
            out.append(line)
    return out


def augment(source: Path, target: Path, variants: int, fold: Optional[tuple[int, int]] = None,
            test: bool = False) -> None:
    """Every file of ``source`` into ``target`` with ``variants`` spelling variants per example;
    with ``fold`` (k, n): without the examples of fold k, or (``test``) only those, unvaried."""
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(source.rglob("*.yml")):
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = path.read_text(encoding="utf-8").splitlines()
        if fold is None:
            lines = _rewrite(lines, variants, True, "train", 0.35)
        elif test:
            lines = _rewrite(lines, 0, True, "train", 0.0, drop=lambda e: not _in_fold(e, fold))
        else:
            lines = _rewrite(lines, variants, True, "train", 0.35, drop=lambda e: _in_fold(e, fold))
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def perturb(source: Path, target: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join(_rewrite(lines, 1, False, "eval", 0.5)) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("train", "fold"):
        command = sub.add_parser(name)
        command.add_argument("out", type=Path)
        command.add_argument("--variants", type=int, default=1)
        command.add_argument("--source", type=Path, default=ROOT / "data" / "nlu")
        command.add_argument("--fold", type=lambda v: tuple(int(x) for x in v.split("/")), default=None)
    pert = sub.add_parser("perturb")
    pert.add_argument("source", type=Path)
    pert.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command in ("train", "fold"):
        augment(args.source, args.out, args.variants, args.fold, test=args.command == "fold")
    else:
        perturb(args.source, args.out)


if __name__ == "__main__":
    main()
