"""How customers vary the spelling of a word, in both directions.

``spelling_key`` is what the NLU pipeline reads for a word (bot/nlu.py puts it in the token's
lemma): every variant the rules below produce from a word has the same key as the word.
``vary`` produces such variants; scripts/augment_nlu.py applies it to the training data at
train time and to a copy of the held-out set, so the model is trained and measured on the
spellings customers really type. Standard library only (the rasa env imports it).

The rules: vowels dropped ("bohat" -> "bht"), letters doubled ("acha" -> "achaa"),
h / hy / ha / hay for "hai", z / zh, q / k, w / v, ee / i, oo / u, and SMS forms
(plz, pls, kr, h, ni, k, b, tk, msg, u, r, thx, ...).
"""
from __future__ import annotations

import random
import re

from knowledge.roman_urdu import fold, normalize_word

# canonical word -> SMS shortenings customers type for it
SMS_FORMS: dict[str, tuple[str, ...]] = {
    "please": ("plz", "pls", "plzz", "plx"),
    "kar": ("kr",),
    "karo": ("kro", "kr do"),
    "karna": ("krna",),
    "hai": ("h", "hy", "ha", "hay", "he", "hae"),
    "hain": ("hn", "hen"),
    "nahi": ("ni", "nhi", "nai", "nae"),
    "ke": ("k",),
    "ki": ("k",),
    "bhi": ("b",),
    "theek": ("tk", "thk", "thik"),
    "message": ("msg", "mesg"),
    "messages": ("msgs",),
    "you": ("u",),
    "your": ("ur",),
    "are": ("r",),
    "thanks": ("thx", "thnx", "thanx", "tnx"),
    "thank": ("thnk",),
    "kya": ("kia", "ky"),
    "mein": ("me", "mn", "mai"),
    "bahut": ("bht", "bohat", "bohot", "bhot"),
    "aap": ("ap",),
    "hoga": ("hga",),
    "raha": ("rha",),
    "rahi": ("rhi",),
    "kab": ("kb",),
    "tak": ("tk",),
    "okay": ("ok", "k", "okk"),
    "good": ("gud",),
    "with": ("wid", "w/"),
    "what": ("wat", "wht"),
    "people": ("ppl",),
}
# a short form that only one canonical word owns (ambiguous ones, "k" or "tk", keep their letters)
_SMS_OF: dict[str, str] = {}
for _canon, _forms in SMS_FORMS.items():
    for _form in _forms:
        _SMS_OF[_form] = _canon if _form not in _SMS_OF else ""
_SMS_OF = {form: canon for form, canon in _SMS_OF.items() if canon}

_VOWELS = re.compile(r"(?<=.)[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")
_LATIN = re.compile(r"^[a-z]+$")
# letter swaps customers make, both ways
_SWAPS = (("zh", "z"), ("z", "zh"), ("q", "k"), ("w", "v"), ("v", "w"), ("ee", "i"), ("i", "ee"),
          ("oo", "u"), ("u", "oo"))


def spelling_key(word: str) -> str:
    """One key for all the ways a word is spelled: "bohat", "bahut", "bht" -> "bht";
    "hai", "hy", "h" -> "h"; "plz", "please" -> "pls". Words with digits, Urdu script and
    one- and two-letter words ("ko", "ka", "no") keep their letters."""
    word = fold(word)
    if not _LATIN.match(word):
        return word
    word = _DOUBLED.sub(r"\1", word)
    word = _SMS_OF.get(word) or normalize_word(word)
    if len(word) <= 2:
        return word
    word = word.replace("zh", "z").replace("q", "k").replace("v", "w")
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", word)) or word


def vary(word: str, rng: random.Random) -> str:
    """One spelling variant of a word a customer might type instead (or the word itself
    when no rule applies)."""
    lower = word.lower()
    if not _LATIN.match(lower):
        return word
    canon = _SMS_OF.get(lower) or normalize_word(lower)
    choices = []
    if canon in SMS_FORMS:
        choices.append(lambda: rng.choice(SMS_FORMS[canon]))
    if len(lower) >= 4:
        choices.append(lambda: lower[0] + _VOWELS.sub("", lower[1:-1]) + lower[-1])
    if len(lower) >= 2:
        def double() -> str:  # a vowel or the last letter, as in "achaa", "plzz", "paisay"
            i = rng.choice([i for i, c in enumerate(lower) if c in "aeiou" and i > 0] + [len(lower) - 1])
            return lower[:i + 1] + lower[i] + lower[i + 1:]
        choices.append(double)
    swaps = [(a, b) for a, b in _SWAPS if a in lower]
    if swaps:
        def swap() -> str:
            a, b = rng.choice(swaps)
            return lower.replace(a, b, 1)
        choices.append(swap)
    return rng.choice(choices)() if choices else word


_WORD_SPAN = re.compile(r"(?<![\w-])[A-Za-z]+(?![\w-])")  # whole words: "SD-10234" stays


def vary_text(text: str, rng: random.Random, rate: float = 0.35) -> str:
    """The text with about ``rate`` of its Latin words given another spelling."""
    return _WORD_SPAN.sub(lambda m: vary(m.group(0), rng) if rng.random() < rate else m.group(0), text)
