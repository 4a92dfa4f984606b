"""Attributes grounded in the catalog: what a message names, matched against whatever
option values the merchant uses."""
from __future__ import annotations

import pytest

from knowledge.attributes import Vocabulary, ground, mentions
from knowledge.catalog import Product, Variant


def product(*rows: dict, title: str = "Test Product") -> Product:
    names = tuple(dict.fromkeys(k for row in rows for k in row))
    return Product(id="p", title=title, option_names=names,
                   variants=tuple(Variant(sku=f"s{i}", options=row, price=100, stock=1) for i, row in enumerate(rows)))


def keys(text: str, vocabulary: Vocabulary | None = None) -> list[set[str]]:
    return [set(m.keys) for m in mentions(text, vocabulary or Vocabulary())]


@pytest.mark.parametrize("text, expected", [
    ("joota 43 number bhoora chahiye", [{"n:43"}, {"c:brown", "w:brown"}]),
    ("ye chappal 6.5 mein mil sakti?", [{"n:6.5"}]),
    ("kids frock 4-5 saal ka pink mein hai?", [{"r:4-5"}, {"c:pink", "w:pink"}]),
    ("4 se 5 saal", [{"r:4-5"}]),
    ("10-11Y", [{"r:10-11"}]),
    ("UK 8 hai?", [{"n:8"}]),
    ("double XL", [{"l:XXL"}]),
    ("M mein?", [{"l:M"}]),
    ("12 ml wala", [{"u:12ml"}]),
    ("teen ka pack", [{"p:3"}]),
    ("lawn 3 piece", [{"u:3pc"}]),
    ("30W wala charger", [{"u:30w"}]),
    ("2m cable", [{"u:2m"}]),
    ("20000 mAh", [{"u:20000mah"}]),
    ("cushion cover 18x18", [{"d:18x18"}]),
    ("frame 8 by 10", [{"d:8x10"}]),
    ("5 wala pack", [{"p:5"}]),
    ("20 hazar mAh", [{"u:20000mah"}]),
    ("saarhe 4 meter", [{"u:4.5m"}]),
    ("7 لیٹر والا ککر", [{"u:7l"}]),
    ("navy blue", [{"c:navy", "w:navy"}]),
    ("کالا جوتا 42 نمبر", [{"c:black", "w:black"}, {"n:42"}]),
])
def test_what_a_message_names(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize("text", ["2-3 din mein delivery", "Rs 2490 ka hai?", "kurta's price",
                                  "order 10234 kab aaye ga", "03001234567 pe call karein"])
def test_numbers_that_are_no_sizes(text):
    assert keys(text) == []


def test_the_catalogs_own_words_and_their_misspellings():
    vocabulary = Vocabulary.of([product({"Size": "King", "Color": "Mustard"}, {"Size": "Free Size", "Color": "Sky Blue"})])
    assert keys("bedsheet king size hai?", vocabulary) == [{"w:king"}]
    assert keys("free size mein", vocabulary) == [{"w:free size"}]
    assert keys("mustrd colour", vocabulary) == [{"w:mustard", "c:mustard"}]
    assert keys("sky blue", vocabulary)[0] >= {"w:sky blue"}


@pytest.mark.parametrize("values, text, named", [
    (["UK 7", "UK 8"], "8 number", "UK 8"),
    (["EU 41", "EU 42"], "41", "EU 41"),
    (["2-3Y", "4-5Y"], "4 se 5 saal", "4-5Y"),
    (["2-3 Years", "4-5 Years"], "3 saal ka", "2-3 Years"),
    (["S", "M", "XL", "XXL"], "double xl", "XXL"),
    (["Small", "Medium"], "chota", "Small"),
    (["Pack of 2", "Pack of 3"], "3 ka pack", "Pack of 3"),
    (["12ml", "50ml"], "50 ml", "50ml"),
    (["6", "6.5", "7"], "6.5 number", "6.5"),
    (["20W", "25W", "45W"], "25 watt wala", "25W"),
    (["3 pc", "5 pc", "7 pc"], "7 piece", "7 pc"),
    (["1m", "2m"], "2 meter", "2m"),
    (["16x16", "18x18"], "18 x 18", "18x18"),
])
def test_a_named_value_is_found_whatever_the_merchant_calls_it(values, text, named):
    item = product(*[{"Size": v} for v in values])
    found = ground(item, mentions(text))
    assert found.selection == {"Size": [named]} and not found.missing


def test_a_value_the_product_does_not_offer_is_missing_not_guessed():
    item = product({"Size": "40", "Color": "Black"}, {"Size": "41", "Color": "Brown"})
    found = ground(item, mentions("43 number brown"))
    assert found.selection == {"Color": ["Brown"]}
    assert [(m.mention.text, m.option) for m in found.missing] == [("43 number", "Size")]


@pytest.mark.parametrize("values, text, said", [
    (["20W", "25W"], "30W charger", "30w"),  # a unit the option has, a number it does not
    (["3 pc", "5 pc"], "9 piece set", "9pc"),
    (["King", "Queen"], "super king bedsheet", "super king"),  # a modifier makes it another value
])
def test_a_number_or_modified_value_the_option_lacks_is_missing(values, text, said):
    item = product(*[{"Size": v} for v in values])
    found = ground(item, mentions(text, Vocabulary.of([item])))
    assert not found.selection and [m.option for m in found.missing] == ["Size"]
    missing = found.missing[0].mention
    assert said in {missing.text, *(key[2:] for key in missing.keys)}


def test_model_names_are_values_and_an_absent_model_is_missing():
    item = product({"Model": "iPhone 13", "Color": "Black"}, {"Model": "Redmi Note 12", "Color": "Black"})
    vocabulary = Vocabulary.of([item])
    found = ground(item, mentions("Redmi Note 12 ka cover black", vocabulary))
    assert found.selection == {"Model": ["Redmi Note 12"], "Color": ["Black"]}
    found = ground(item, mentions("Redmi Note 13 ka cover black", vocabulary))
    assert found.selection == {"Color": ["Black"]} and [m.option for m in found.missing] == ["Model"]


def test_a_colour_family_is_not_a_colour():
    """"white" is not "Off White": it is reported as not offered, never answered for Off White."""
    found = ground(product({"Color": "Off White"}), mentions("white"))
    assert not found.selection and found.missing[0].option == "Color"


def test_a_word_of_the_name_is_no_attribute():
    found = ground(product({"Size": "S"}, title="Rose Cream"), mentions("cream S"))
    assert found.selection == {"Size": ["S"]} and not found.missing
