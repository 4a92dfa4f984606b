"""Spelling variants (training augmentation) and the spelling key the NLU reads agree."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest

from knowledge.spelling import spelling_key, vary, vary_text
from tests.stack import ROOT

WORDS = ("bohat kapra chahiye zabardast qameez kitne wala theek shukriya please nahi message order delivery "
         "dobara pasand mujhe kahan hai karo aap").split()


@pytest.mark.parametrize("word", WORDS)
def test_every_variant_the_rules_make_has_the_words_key(word):
    rng = random.Random(7)
    variants = {vary(word, rng) for _ in range(60)}
    assert len(variants) > 1
    # SMS forms that several words share ("tk": theek or tak) cannot lead back to one word
    assert {v for v in variants if spelling_key(v) != spelling_key(word)} <= {"tk", "k", "kr do", "me", "thik"}


@pytest.mark.parametrize("spellings", [
    ("bohat", "bahut", "bht", "bohot"), ("hai", "h", "hy", "ha", "hay", "haii"), ("please", "plz", "pls"),
    ("kar", "kr"), ("acha", "achha", "accha", "achaa"), ("kameez", "qameez", "kmeez"), ("nahi", "ni", "nhi", "nahee"),
    ("message", "msg"), ("zabardast", "zbrdst"), ("theek", "thik", "thk"),
])
def test_spellings_customers_use_share_one_key(spellings):
    assert len({spelling_key(s) for s in spellings}) == 1, {s: spelling_key(s) for s in spellings}


def test_numbers_urdu_script_and_short_words_keep_their_letters():
    assert [spelling_key(w) for w in ("42", "SD-10234", "ہے", "ko", "ka", "no")] == ["42", "sd-10234", "ہے", "ko",
                                                                                    "ka", "no"]
    assert vary_text("order SD-10234 ہے 42", random.Random(1), rate=1.0).split()[1:] == ["SD-10234", "ہے", "42"]


def test_training_augmentation_keeps_annotations_and_is_reproducible(tmp_path):
    source = tmp_path / "nlu"
    source.mkdir()
    (source / "t.yml").write_text('version: "3.1"\nnlu:\n  - intent: ask_price\n    examples: |\n'
                                  "      - [kala](colour) [kurta](product) kitne ka hai please\n"
                                  "  - synonym: black\n    examples: |\n      - kala\n", encoding="utf-8")
    outputs = []
    for run in range(2):
        out = tmp_path / f"out{run}"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "augment_nlu.py"), "train", str(out),
                        "--source", str(source), "--variants", "2"], check=True)
        outputs.append((out / "t.yml").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    examples = [line for line in outputs[0].splitlines() if line.startswith("      - ")]
    assert examples[0] == "      - [kala](colour) [kurta](product) kitne ka hai please"
    assert len(examples) == 4 and examples[-1] == "      - kala"  # two variants; the synonym untouched
    assert all("[kala](colour) [kurta](product)" in line for line in examples[1:3])
