"""Roman Urdu normalisation: spellings, colours, sizes, piece counts, cities."""
from __future__ import annotations

import pytest

from knowledge.roman_urdu import (canonical_tokens, city_of, colour_of, detect_language, normalize, outline, size_of,
                                  transliterate)


@pytest.mark.parametrize("typed, canonical", [
    ("hay", "hai"), ("he", "hai"), ("kia", "kya"), ("nahin", "nahi"), ("nai", "nahi"),
    ("chahye", "chahiye"), ("kitnay", "kitne"), ("qameez", "kameez"), ("dupata", "dupatta"), ("kusa", "khussa"),
])
def test_spelling_variants_become_one_spelling(typed, canonical):
    assert normalize(f"ye {typed}") == f"ye {canonical}"


@pytest.mark.parametrize("word, colour", [
    ("safaid", "white"), ("safed", "white"), ("kala", "black"), ("kaali", "black"), ("laal", "red"),
    ("hara", "green"), ("neela", "blue"), ("peela", "yellow"), ("gulabi", "pink"), ("surmai", "grey"),
    ("Mehroon", "maroon"), ("sunehri", "golden"), ("White", "white"),
])
def test_colour_words(word, colour):
    assert colour_of(word) == colour


def test_a_word_that_is_no_colour_is_none():
    assert colour_of("kurta") is None


@pytest.mark.parametrize("word, size", [("chota", "S"), ("small", "S"), ("bara", "L"), ("large", "L"),
                                        ("medium", "M"), ("xl", "XL"), ("9", "9")])
def test_size_words(word, size):
    assert size_of(word) == size


@pytest.mark.parametrize("text", ["teen piece", "3 piece", "3pc", "3-piece", "three piece", "3 pcs"])
def test_piece_counts(text):
    assert canonical_tokens(f"lawn {text} suit") == ["lawn", "3-piece", "suit"]


@pytest.mark.parametrize("word, city", [("Karachi", "Karachi"), ("khi", "Karachi"), ("Lhr", "Lahore"),
                                        ("isb", "Islamabad"), ("Pindi", "Rawalpindi"), ("rwp", "Rawalpindi"),
                                        ("fsd", "Faisalabad"), ("Lahore ", "Lahore")])
def test_city_spellings(word, city):
    assert city_of(word) == city


@pytest.mark.parametrize("urdu, latin", [("پشاوری", "peshawari"), ("بیڈشیٹ", "bedsheet"), ("فراک", "frock"),
                                          ("کاٹن", "cotton")])
def test_urdu_script_words_share_the_outline_of_their_roman_spelling(urdu, latin):
    assert outline(transliterate(urdu)) == outline(latin)


def test_language_detection_still_works():
    assert detect_language("kia ye kurta available hay?") == "roman_urdu"
    assert detect_language("Do you have this in black?") == "english"
    assert detect_language("ok") is None
