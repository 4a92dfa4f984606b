"""Sizes, colours and other option values a customer names, grounded in the option values
of the live catalog: whatever the merchant wrote ("2-3Y", "King", "12ml", "6.5", "UK 8",
"Free Size", "Pack of 3", "Sky Blue") matches the ways customers say it ("2 se 3 saal",
"king size", "12 ml", "6.5 number", "8", "free size", "3 ka pack", "sky blue").

A message and an option value are read by the same scanner into keys ("n:43", "r:2-3",
"l:XL", "c:brown", "u:12ml", "p:3", "w:king"); a value is named when a key of the message
is one of the value's. Rasa's entities are not needed: a new merchant's catalog works
without retraining, and the catalog decides what is an attribute.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from knowledge.catalog import Product

from knowledge.roman_urdu import colour_of, fold, normalize_word, outline, size_of, transliterate

SIZE, COLOUR, OTHER = "size", "colour", "other"

_COLOUR_OPTIONS = frozenset({"color", "colour", "colors", "colours", "rang", "shade", "shades"})
_SIZE_OPTIONS = frozenset({"size", "sizes", "shoe size", "saiz", "naap", "age", "umar", "waist", "fit"})


def option_kind(name: str) -> str:
    """What an option is about, by its name: "Shoe Size" and "Age" are sizes, "Colour" a colour."""
    name = fold(name).strip()
    if name in _COLOUR_OPTIONS or "colo" in name:
        return COLOUR
    if name in _SIZE_OPTIONS or "size" in name:
        return SIZE
    return OTHER


@dataclass(frozen=True)
class Mention:
    """Something a message (or an option value) names: ``text`` as written, ``keys`` it
    matches values by."""
    text: str
    kind: str  # SIZE, COLOUR or OTHER: which option it would belong to
    keys: frozenset[str]
    hard: bool = True  # clearly an attribute ("43 number", "XL"); soft: maybe ("2", "bara")
    start: int = 0  # token span
    end: int = 0
    options: frozenset[str] = frozenset()  # catalog phrases: the option names they are values of


_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z\u0621-\u065f\u0670-\u06d3]+|[-–/#%]")  # Urdu letters, not its ، or ؟
_THOUSANDS = re.compile(r"\b(\d{1,3})\s*(?:hazar|hazaar|hazzar|hzr|thousand)\b")
_AND_A_HALF = re.compile(r"\b(?:saarhe|saare|sarhe|sadhe|saadhe)\s+(\d{1,2})\b")
_URDU_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_MULTI_XL = re.compile(r"\b(?:([2-5])\s*x\s*l|(double|triple)\s*(?:x\s*l|extra\s+large))\b")
_TIMES = {"2": 2, "double": 2, "3": 3, "triple": 3, "4": 4, "5": 5}

_YEARS = frozenset("y yr yrs year years saal sal saala baras bars sala سال".split())
_MONTHS = frozenset("m mo month months mahine mahina maah".split())  # after a range: "0-6M"
_RANGE_JOIN = frozenset("- – to se sy say sey سے".split())
_UNITS = {"ml": "ml", "l": "l", "ltr": "l", "litre": "l", "liter": "l", "g": "g", "gm": "g", "gms": "g",
          "gram": "g", "grams": "g", "kg": "kg", "cm": "cm", "mm": "mm", "inch": "inch", "inches": "inch",
          "oz": "oz", "w": "w", "watt": "w", "watts": "w", "mah": "mah", "gb": "gb", "tb": "tb",
          "m": "m", "meter": "m", "metre": "m", "meters": "m", "metres": "m", "mtr": "m",
          "pc": "pc", "pcs": "pc", "piece": "pc", "pieces": "pc",
          "لیٹر": "l", "گرام": "g", "کلو": "kg", "میٹر": "m", "واٹ": "w", "انچ": "inch"}
# A word before a value that makes it another value: "super king" is no "King", "semi
# stitched" no "Stitched"; said so, the customer is told it is not offered.
_MODIFIERS = frozenset("super mini mega jumbo semi".split())
_SIZE_BEFORE = frozenset("size saiz sizes number no num nmbr nambar uk eu us # ناپ سائز".split())
_SIZE_AFTER = frozenset("number no num nmbr nambar numbr نمبر".split())
# what a bare number next to these is: days, money, a piece count, a time, a quantity
_NOT_SIZE_AFTER = frozenset("""din dino days day hafte hafta week weeks baje ghante ghanta hour hours minute minutes
    mins rs rupay rupees rupee pkr hazar k piece pieces pc pcs peace pis pair pairs adad qty percent % off
    saal sal""".split())
_NOT_SIZE_BEFORE = frozenset("rs pkr order rupay rupees".split())
_NUMBER_WORDS = {"ek": 1, "aik": 1, "one": 1, "do": 2, "two": 2, "teen": 3, "three": 3, "char": 4, "chaar": 4,
                 "four": 4, "panch": 5, "paanch": 5, "five": 5, "che": 6, "chhe": 6, "six": 6}
_LETTERS = {"xs": "XS", "s": "S", "m": "M", "l": "L", "xl": "XL", "xxl": "XXL", "xxxl": "XXXL", "xxxxl": "XXXXL"}
_FILLER = frozenset("size saiz of the".split())
# Words of a value that say what kind of value it is, not which one ("UK 8", "Pack of 3"):
# a value with a number and none of these words is a model name ("iPhone 13", "Galaxy A54").
_STRUCTURE_WORDS = frozenset(set(_UNITS) | set(_LETTERS) | _SIZE_BEFORE | _SIZE_AFTER | _YEARS | _MONTHS
                             | {"pack", "of", "set", "size", "x", "and", "y"})


def _number(text: str) -> str:
    return f"{float(text):g}"


def tokens_of(text: str) -> list[str]:
    """The scanner's tokens: numbers (with decimals), words (Latin or Urdu script), and dashes."""
    text = re.sub(r"'s\b|'", "", fold(text).translate(_URDU_DIGITS))
    text = _THOUSANDS.sub(lambda m: str(int(m.group(1)) * 1000), text)  # "20 hazar mAh" is 20000 mAh
    text = _AND_A_HALF.sub(r"\1.5", text)  # "saarhe 4 meter" is 4.5 metres
    text = _MULTI_XL.sub(lambda m: " " + "x" * _TIMES[m.group(1) or m.group(2)] + "l ", text)
    text = re.sub(r"\bextra[\s-]+large\b", " xl ", text)
    text = re.sub(r"\bextra[\s-]+small\b", " xs ", text)
    text = re.sub(r"(?<=[a-z])[-–](?=[a-z])", " ", text)  # "off-white": a dash only joins numbers
    return [t if t[0].isdigit() or t in "-–/#%" else normalize_word(t) for t in _TOKEN.findall(text)]


def phrase(text: str) -> str:
    """A value's words as one canonical phrase ("Off-White" and "off white" -> "off white")."""
    words = []
    for token in tokens_of(text):
        if token in "-–/#%":
            continue
        words += (colour_of(token) or token).split("-")
    return " ".join(words)


def _is_int(token: str) -> bool:
    return token.isdigit()


def _is_num(token: str) -> bool:
    return bool(token) and token[0].isdigit()


class _Scanner:
    """One pass over tokens, longest forms first; each token belongs to one mention at most."""

    def __init__(self, tokens: list[str], vocabulary: "Vocabulary | None"):
        self.t = tokens
        self.vocabulary = vocabulary
        self.taken = [False] * len(tokens)
        self.found: list[Mention] = []

    def at(self, i: int) -> str:
        return self.t[i] if 0 <= i < len(self.t) else ""

    def free(self, start: int, end: int) -> bool:
        return 0 <= start and end <= len(self.t) and not any(self.taken[start:end])

    def add(self, start: int, end: int, kind: str, keys: Iterable[str], hard: bool = True,
            options: Iterable[str] = ()) -> None:
        for i in range(start, end):
            self.taken[i] = True
        text = " ".join(self.t[start:end])
        self.found.append(Mention(text, kind, frozenset(keys), hard, start, end, frozenset(options)))

    def scan(self) -> list[Mention]:
        for rule in (self._dimensions, self._ranges, self._ages, self._units, self._packs, self._sized_numbers, self._colour_pairs,
                     self._phrases, self._colours, self._letters, self._bare_numbers, self._fuzzy):
            rule()
        return sorted(self.found, key=lambda m: m.start)

    def _dimensions(self) -> None:  # "18x18", "90 x 100", "8 by 10": a size written as its sides
        for i in range(len(self.t) - 2):
            a, by, b = self.t[i:i + 3]
            if _is_num(a) and by in ("x", "by", "*") and _is_num(b) and self.free(i, i + 3):
                self.add(i, i + 3, SIZE, {f"d:{_number(a)}x{_number(b)}"})

    def _ranges(self) -> None:  # "2-3Y", "4 se 5 saal", "6-12 months", "10 to 11 years"
        for i in range(len(self.t) - 2):
            a, join, b = self.t[i:i + 3]
            if not (_is_int(a) and join in _RANGE_JOIN and _is_int(b) and int(a) < int(b) and self.free(i, i + 3)):
                continue
            if self.at(i - 1) == "-" or self.at(i + 3) in _NOT_SIZE_AFTER - _YEARS:
                continue
            unit = self.at(i + 3)
            end = i + 4 if unit in _YEARS | _MONTHS else i + 3
            suffix = "m" if unit in _MONTHS else ""
            self.add(i, end, SIZE, {f"r:{a}-{b}{suffix}"})

    def _ages(self) -> None:  # "5 saal", "3Y", "8 years"
        for i in range(len(self.t) - 1):
            if _is_int(self.t[i]) and self.t[i + 1] in _YEARS and self.free(i, i + 2):
                self.add(i, i + 2, SIZE, {f"a:{int(self.t[i])}", f"n:{int(self.t[i])}"})

    def _units(self) -> None:  # "12ml", "50 ml", "1.5 kg"
        for i in range(len(self.t) - 1):
            unit = _UNITS.get(self.t[i + 1])
            if _is_num(self.t[i]) and unit and self.free(i, i + 2):
                self.add(i, i + 2, OTHER, {f"u:{_number(self.t[i])}{unit}"})

    def _packs(self) -> None:  # "pack of 3", "3 pack", "teen ka pack", "pack 3"
        for i, token in enumerate(self.t):
            if token not in ("pack", "set") or self.taken[i]:
                continue
            for j in (i + 2, i - 1, i - 2, i + 1):  # "of N" after, then N before, then N after
                if not 0 <= j < len(self.t):
                    continue
                count = self.t[j] if _is_int(self.t[j]) else _NUMBER_WORDS.get(self.t[j])
                between = self.t[min(i, j) + 1:max(i, j)]
                joins = ("of",) if j > i else ("ka", "ki", "ke", "wala", "wali", "wale")
                if count and all(w in joins for w in between) and self.free(min(i, j), max(i, j) + 1):
                    self.add(min(i, j), max(i, j) + 1, OTHER, {f"p:{int(count)}"})
                    break

    def _sized_numbers(self) -> None:  # "size 43", "43 number", "UK 8", "no. 9"
        for i, token in enumerate(self.t):
            if not _is_num(token) or self.taken[i] or len(token.split(".")[0]) > 2:
                continue
            if self.at(i - 1) in _SIZE_BEFORE and self.free(i - 1, i + 1):
                self.add(i - 1, i + 1, SIZE, {f"n:{_number(token)}"})
            elif self.at(i + 1) in _SIZE_AFTER and self.free(i, i + 2):
                self.add(i, i + 2, SIZE, {f"n:{_number(token)}"})

    def _phrases(self) -> None:  # the catalog's own words: "king", "free size", "sky blue", "pack of 3"
        if not self.vocabulary:
            return
        words = [t if t in "-–/#%" else phrase(t) if t.isascii() else self.vocabulary.urdu(t) for t in self.t]
        for n in range(self.vocabulary.longest, 0, -1):
            for i in range(len(words) - n + 1):
                options = self.vocabulary.phrases.get(" ".join(words[i:i + n]))
                if options is None or not self.free(i, i + n):
                    continue
                if words[i - 1:i] and words[i - 1] in _MODIFIERS and self.free(i - 1, i):
                    keys = frozenset({f"w:{' '.join(words[i - 1:i + n])}"})  # "super king": another value
                    self.add(i - 1, i + n, _kind(keys, options), keys, options=options)
                    continue
                keys = value_keys(" ".join(words[i:i + n])).exact
                self.add(i, i + n, _kind(keys, options), keys, options=options)
        # a model the catalog does not have, named like the ones it has: "Redmi Note 13" next to "Redmi Note 12"
        for n in range(self.vocabulary.longest if self.vocabulary.models else 0, 1, -1):
            for i in range(len(words) - n + 1):
                options = self.vocabulary.models.get(model_pattern(words[i:i + n]))
                if options is not None and self.free(i, i + n):
                    self.add(i, i + n, OTHER, {f"w:{' '.join(words[i:i + n])}"}, options=options)

    def _colour_pairs(self) -> None:  # "navy blue", "off white": before the catalog's "navy" and "blue"
        self._colours(sizes=(2,))

    def _colours(self, sizes: tuple[int, ...] = (2, 1)) -> None:  # "bhoora", "navy blue", "off white", "کالا"
        for n in sizes:
            for i in range(len(self.t) - n + 1):
                words = self.t[i:i + n]
                colour = colour_of("-".join(words)) or colour_of(" ".join(words))
                if colour and self.free(i, i + n):
                    self.add(i, i + n, COLOUR, {f"c:{colour}", f"w:{phrase(colour)}"})

    def _letters(self) -> None:  # "XL", "S size", "double XL"; "chota" / "bara" only maybe
        for i, token in enumerate(self.t):
            if self.taken[i]:
                continue
            if token in _LETTERS:
                self.add(i, i + 1, SIZE, {f"l:{_LETTERS[token]}"})
            elif not token[0].isdigit() and size_of(token):
                self.add(i, i + 1, SIZE, {f"l:{size_of(token)}"}, hard=False)

    def _bare_numbers(self) -> None:  # "joota 43 bhoora", "6.5 mein": a size if the product has it
        for i, token in enumerate(self.t):
            if not _is_num(token) or self.taken[i] or len(token.split(".")[0]) > 3:
                continue
            if self.at(i + 1) in ("-", "–") and _is_num(self.at(i + 2)):
                continue  # a range that is no size ("2-3 din")
            after = self.at(i + 2) if self.at(i + 1) == "-" else self.at(i + 1)
            if after in _NOT_SIZE_AFTER or self.at(i - 1) in _NOT_SIZE_BEFORE or self.at(i - 1) == "-":
                continue
            self.add(i, i + 1, SIZE, {f"n:{_number(token)}"}, hard="." in token)

    def _fuzzy(self) -> None:  # spelling slips of the catalog's words: "mustrd", "maroom"
        if not self.vocabulary:
            return
        for i, token in enumerate(self.t):
            if self.taken[i] or len(token) < 5 or not token.isalpha() or token in self.vocabulary.known \
                    or token[:-1] in self.vocabulary.known:  # a word of the catalog is no slip ("block")
                continue
            for word, options in self.vocabulary.single_words.items():
                if abs(len(word) - len(token)) <= 1 and _one_edit(word, token):
                    keys = value_keys(word).exact
                    self.add(i, i + 1, _kind(keys, options), keys, hard=False, options=options)
                    break


def _kind(keys: frozenset[str], options: frozenset[str]) -> str:
    """A catalog phrase's kind: by what it says ("brown", "medium"), else by its options' names."""
    if any(k.startswith("c:") for k in keys) or any(option_kind(o) == COLOUR for o in options):
        return COLOUR
    if any(k[:2] in ("l:", "n:", "r:", "a:", "d:") for k in keys) or any(option_kind(o) == SIZE for o in options):
        return SIZE
    return OTHER


def _one_edit(a: str, b: str) -> bool:
    """True when b is a with at most one letter added, removed, changed or two swapped."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


@dataclass(frozen=True)
class ValueKeys:
    exact: frozenset[str]
    ranges: tuple[tuple[int, int], ...] = ()  # age ranges in years: "5 saal" fits "4-5Y" and "5-6Y"


@lru_cache(maxsize=65536)
def value_keys(value: str) -> ValueKeys:
    """How an option value is matched: the keys of what it says as a whole ("Navy Blue" is
    navy, not any blue: a customer asking for blue is told it is not offered, and sees the
    blues that are in stock)."""
    tokens = tokens_of(value)
    mentions = _Scanner(tokens, None).scan()
    words = [i for i, t in enumerate(tokens) if t not in "-–/#%" and t not in _FILLER]
    covered = {i for m in mentions for i in range(m.start, m.end)}
    exact = {f"w:{phrase(value)}"}
    if set(words) <= covered:
        exact |= {k for m in mentions for k in m.keys}
    ranges = tuple(tuple(int(n) for n in k[2:].split("-")) for k in exact
                   if k.startswith("r:") and not k.endswith("m"))
    return ValueKeys(frozenset(exact), ranges)


def matches(mention: Mention, value: str) -> str | None:
    """"exact", "weak" (an age within a range) or None: how a mention names a value."""
    keys = value_keys(value)
    if mention.keys & keys.exact:
        return "exact"
    ages = [int(k[2:]) for k in mention.keys if k.startswith("a:")]
    if any(lo <= age <= hi for age in ages for lo, hi in keys.ranges):
        return "weak"
    return None


@dataclass(frozen=True)
class Vocabulary:
    """The catalog's option values as phrases a message can contain, with the option names
    each belongs to; built once per catalog version."""
    phrases: dict[str, frozenset[str]] = field(default_factory=dict)
    single_words: dict[str, frozenset[str]] = field(default_factory=dict)
    longest: int = 0
    names: frozenset[str] = frozenset()  # words of product names: "cream", "black" may name a product
    known: frozenset[str] = frozenset()  # every word of the catalog's texts
    outlines: dict[str, frozenset[str]] = field(default_factory=dict)  # consonants -> name words with them
    value_outlines: dict[str, str] = field(default_factory=dict)  # consonants -> a one-word value phrase
    models: dict[str, frozenset[str]] = field(default_factory=dict)  # "redmi note #" -> option names

    def urdu(self, token: str) -> str:
        """An Urdu-script word as the one-word option value it spells (کوئین -> "queen"), or as it is."""
        return self.value_outlines.get(outline(transliterate(token)), token)

    @classmethod
    def of(cls, products: Iterable[Product], known: Iterable[str] = ()) -> "Vocabulary":
        found: dict[str, set[str]] = {}
        names: set[str] = set()
        for product in products:
            names |= name_words(product)
            for variant in product.variants:
                for name, value in variant.options.items():
                    key = phrase(value)
                    # numbers, ranges, sizes and units are read by their own rules; model names are phrases
                    if key and (not any(w[0].isdigit() for w in key.split()) or _is_model(key)) \
                            and key not in _LETTERS:
                        found.setdefault(key, set()).add(name)
        phrases = {k: frozenset(v) for k, v in found.items()}
        single = {k: v for k, v in phrases.items() if " " not in k and len(k) >= 5 and k.isalpha()}
        outlines: dict[str, set[str]] = {}
        for word in names:
            if word.isalpha() and len(outline(word)) >= 2:
                outlines.setdefault(outline(word), set()).add(word)
        value_outlines = {outline(k): k for k in phrases if " " not in k and k.isalpha() and len(outline(k)) >= 2}
        models: dict[str, set[str]] = {}
        for key, option_names in phrases.items():
            if _is_model(key):
                models.setdefault(model_pattern(key.split()), set()).update(option_names)
        return cls(phrases, single, max((len(k.split()) for k in phrases), default=0), frozenset(names),
                   frozenset(known), {k: frozenset(v) for k, v in outlines.items()}, value_outlines,
                   {k: frozenset(v) for k, v in models.items()})


def _is_model(key: str) -> bool:
    """A value phrase that names a model by a word and a number: "iphone 13", "galaxy a 54"."""
    words = key.split()
    return any(w[0].isdigit() for w in words) and any(
        w.isalpha() and len(w) >= 3 and w not in _STRUCTURE_WORDS for w in words)


def model_pattern(words: list[str]) -> str:
    """Words with their numbers blanked: "redmi note 12" and "redmi note 13" share "redmi note #"."""
    return " ".join("#" if w[0].isdigit() else w for w in words)


EMPTY_VOCABULARY = Vocabulary()


def mentions(text: str, vocabulary: Vocabulary = EMPTY_VOCABULARY) -> list[Mention]:
    """Everything a message may name as a size, colour or other option value, in order."""
    return _Scanner(tokens_of(text), vocabulary).scan()


# --- grounding on one product ----------------------------------------------------------------

@dataclass(frozen=True)
class Missing:
    """A value the customer clearly named that this product does not offer; ``option`` is
    the option it would be (None: the product has no such option at all)."""
    mention: Mention
    option: str | None


@dataclass(frozen=True)
class Grounding:
    selection: dict[str, list[str]]  # option name -> the values named, as the catalog writes them
    missing: list[Missing]
    ignored: list[Mention]  # not understood for this product (never used to claim anything)

    @property
    def named(self) -> bool:
        return bool(self.selection or self.missing)


def options_of(product: Product) -> dict[str, list[str]]:
    """Option name -> its values in catalog order."""
    options: dict[str, list[str]] = {name: [] for name in product.option_names if name}
    for variant in product.variants:
        for name, value in variant.options.items():
            values = options.setdefault(name, [])
            if value not in values:
                values.append(value)
    return {name: values for name, values in options.items() if values}


def _key_kind(key: str) -> str:
    """What a key is: "n:" a number, "l:" a letter size...; a unit key with its unit ("u:ml")."""
    return "u:" + key[2:].lstrip("0123456789.") if key.startswith("u:") else key[:2]


def _key_kinds(values: list[str]) -> set[str]:
    return {_key_kind(k) for v in values for k in value_keys(v).exact}


def ground(product: Product, found: list[Mention]) -> Grounding:
    """Which of the product's option values the mentions name; what was named but is not
    offered; what could not be read for this product."""
    options = options_of(product)
    selection: dict[str, list[str]] = {}
    missing: list[Missing] = []
    ignored: list[Mention] = []
    for mention in found:
        hits: dict[str, list[str]] = {}
        for strength in ("exact", "weak"):
            for name, values in options.items():
                named = [v for v in values if matches(mention, v) == strength]
                if named:
                    hits[name] = named
            if hits:
                break
        if hits:
            # one mention, one option: the one of its kind when several take it
            name = next((n for n in hits if option_kind(n) == mention.kind), next(iter(hits)))
            values = selection.setdefault(name, [])
            values += [v for v in hits[name] if v not in values]
            continue
        if set(phrase(mention.text).split()) <= name_words(product):
            continue  # "cream" of "Rose Cream", "black" of "Black Strap Sandal": said by its name
        option = _option_for(mention, options, product)
        if option is not False:
            missing.append(Missing(mention, option))
        else:
            ignored.append(mention)
    return Grounding(selection, missing, ignored)


def carry(grounding: Grounding, before: dict[str, str], product: Product) -> Grounding:
    """A follow-up on the same product keeps the values named before that it does not
    change: "pink 39?" then "aur 40?" asks for 40 in pink."""
    options = options_of(product)
    changed = set(grounding.selection) | {m.option for m in grounding.missing}
    kept = {name: [value] for name, value in before.items()
            if name not in changed and value in options.get(name, ())}
    selection = {name: (grounding.selection.get(name) or kept[name]) for name in options
                 if name in grounding.selection or name in kept}
    return Grounding(selection, grounding.missing, grounding.ignored)


def _option_for(mention: Mention, options: dict[str, list[str]], product: Product) -> str | None | bool:
    """The option an unmatched mention would be a value of; None when it is clearly a size
    or colour and the product has no such option; False when it is no attribute of this product."""
    prefixes = {_key_kind(k) for k in mention.keys}
    for name, values in options.items():
        if mention.options and name in mention.options:
            return name
        if mention.kind == COLOUR and option_kind(name) == COLOUR:
            return name
        if mention.hard and mention.kind == SIZE and option_kind(name) == SIZE:
            return name
        if prefixes & _key_kinds(values) - {"w:"}:  # a number where the option has numbers, a unit, a pack
            return name
    if not mention.hard:
        return False
    return None if mention.kind in (SIZE, COLOUR) and not mention.options else False


def name_words(product: Product) -> set[str]:
    """The canonical words of a product's title, type and tags."""
    return set(phrase(" ".join([product.title, product.product_type, *product.tags])).split())
