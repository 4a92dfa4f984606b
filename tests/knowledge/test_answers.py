"""Answers on the demo store: the seed's reply shape, variant-exact stock with the nearest
alternatives, follow-ups, description facts, ambiguity, unknown products, store facts.
Stock figures in the comments are the demo export's (demo/catalog.csv)."""
from __future__ import annotations

import json

import pytest

from knowledge import facts as F
from knowledge.answers import answer
from knowledge.question import Question

ZARA = "zara-stitched-lawn-3-piece"


@pytest.fixture(scope="module")
def ask(demo_search, demo_profile):
    def ask(text: str, **kwargs):
        return answer(demo_search, demo_profile, Question(text=text, **kwargs))
    return ask


def test_the_seeds_two_messages_are_answered_as_in_its_transcript(ask):
    # Zara is the only lawn 3-piece made in sizes; S: Off-White 1 + Pink 14; Rs 6,990 (was 8,490)
    first = ask("Assalam o alaikum. Lawn 3-piece ka S size available hai?", intent="ask_availability")
    lines = first.text.splitlines()
    assert lines[0] == "Wa alaikum assalam!"
    assert lines[1] == "Ji haan, Zara Stitched Lawn 3-Piece (S) available hai."
    assert lines[2] == "S mein rang: Off-White aur Pink."
    assert lines[3] == "Zara Stitched Lawn 3-Piece ki qeemat Rs 6,990 hai (pehle Rs 8,490, 18% off)."
    assert lines[5] == "https://demo.sauda.pk/products/zara-stitched-lawn-3-piece"
    assert lines[6] == "Order karna chahein?"
    assert len(lines) <= 8 and len(first.text) < 400  # one phone screen
    second = ask("is item ki delivery Karachi mein hoti hai?", intent="ask_delivery", current_product=first.product_id)
    assert second.text.startswith("Ji haan, Karachi mein delivery 1-2 din mein hoti hai, charges Rs 150.")
    assert second.product_id == ZARA and "products/zara-stitched-lawn-3-piece" in second.text
    assert second.text.endswith("Order karna chahein?")


def test_delivery_line_uses_the_customers_known_city(ask):
    reply = ask("Zara stitched lawn S size hai?", city="Lahore")
    assert "Lahore mein delivery 2-3 din (Rs 200)." in reply.text.splitlines()


def test_only_n_left_when_stock_is_low(ask):
    # Zara S / Off-White: 1 piece
    reply = ask("Zara stitched lawn S off white hai?", intent="ask_availability")
    assert reply.fact(F.LEFT).value == 1 and "Sirf 1 baqi hain." in reply.text


def test_an_out_of_stock_combination_says_no_then_the_nearest_in_stock(ask):
    # Men's Cotton Kurta M / Blue: 0; Blue in stock in L and XL; M in stock in White and Black
    reply = ask("Is the men's cotton kurta available in M blue?", intent="ask_availability", language="english")
    assert reply.fact(F.AVAILABLE).value is False
    assert reply.text.startswith("Sorry, Men's Cotton Kurta (M Blue) is out of stock right now.")
    assert "Sizes in Blue: L and XL." in reply.text and "Colours in M: White and Black." in reply.text
    assert "Yes" not in reply.text


def test_after_a_size_the_colours_listed_are_those_in_stock_in_that_size(ask):
    reply = ask("men's cotton kurta M size hai?")
    colours = reply.fact(F.IN_STOCK, option="Color")
    assert colours.where == (("Size", "M"),) and colours.value == ["White", "Black"]


def test_a_product_sold_out_in_every_variant(ask):
    reply = ask("oxidised silver jhumka hai?", intent="ask_availability")
    assert reply.fact(F.AVAILABLE).value is False and "stock mein nahi hai" in reply.text
    assert "Order karna chahein?" not in reply.text


def test_a_colour_the_product_does_not_come_in(ask):
    reply = ask("peshawari chappal gulabi mein hai?", intent="ask_availability")
    assert reply.fact(F.NOT_OFFERED).value == "pink"
    assert "Peshawari Chappal pink mein nahi aata. Stock mein rang: Brown, Black aur Tan." in reply.text
    assert "Ji haan" not in reply.text


def test_a_size_the_product_is_not_made_in_lists_the_sizes_in_stock(ask):
    reply = ask("peshawari chappal 12 number brown chahiye")
    assert reply.fact(F.NOT_OFFERED, option="Size").value == "12"
    assert not reply.fact(F.AVAILABLE) and "Ji haan" not in reply.text


def test_a_colour_asked_under_another_intent_is_an_availability_question(ask):
    reply = ask("peshawari chappal brown mein hai?", intent="ask_details")
    assert reply.fact(F.AVAILABLE, where=(("Color", "Brown"),)) is not None


def test_follow_up_uses_the_product_just_discussed(ask):
    first = ask("Mirror work kurta price please", intent="ask_price", language="english")
    follow = ask("aur M mein hai?", intent="ask_availability", current_product=first.product_id)
    assert follow.product_id == "mirror-work-kurta"
    assert follow.fact(F.AVAILABLE).where == (("Size", "M"),)


@pytest.mark.parametrize("text", ["aapke paas kya sizes hain?", "kya sizes hain?", "sizes?"])
def test_follow_up_sizes_list_the_product_just_discussed(ask, text):
    reply = ask(text, intent="nlu_fallback", current_product="peshawari-chappal")
    assert reply.product_id == "peshawari-chappal" and reply.fact(F.IN_STOCK, option="Size")


def test_naming_another_product_leaves_the_one_discussed(ask):
    reply = ask("ajrak shawl ki price?", intent="ask_price", current_product="mirror-work-kurta")
    assert reply.product_id == "ajrak-shawl"


def test_a_description_fact_is_quoted_from_the_description(ask, demo_catalog):
    reply = ask("kapra kaunsa hai?", current_product=ZARA)
    quoted = reply.fact(F.DESCRIPTION).value
    assert quoted in demo_catalog.products[ZARA].description and "lawn" in quoted


def test_a_description_fact_the_catalog_does_not_have_is_unknown_with_a_person_offered(ask):
    reply = ask("wazan kitna hai?", current_product=ZARA)
    assert "maloomat hamare paas nahi" in reply.text and reply.handoff_offered
    assert not reply.fact(F.DESCRIPTION)


def test_ambiguous_question_offers_a_list_of_choose_product_buttons(ask):
    reply = ask("khussa hai?", intent="ask_availability")
    assert reply.product_id is None
    payloads = [b["payload"] for b in reply.buttons]
    assert all(p.startswith("/choose_product{") for p in payloads)
    assert {json.loads(p[len("/choose_product"):])["product_id"] for p in payloads} == {
        "multani-khussa", "bridal-khussa", "mens-khussa"}
    assert all(len(b["description"]) <= 72 for b in reply.buttons)


def test_choosing_from_the_list_answers_about_that_product(ask):
    reply = ask("", intent="choose_product", product_id="bridal-khussa")
    assert reply.product_id == "bridal-khussa" and "Bridal Khussa" in reply.text


def test_unknown_product_says_so_and_offers_a_person(ask):
    reply = ask("Do you sell perfume?", intent="ask_availability", language="english")
    assert reply.product_id is None and reply.handoff_offered
    assert "couldn't find" in reply.text and reply.response == "utter_product_not_found"
    assert reply.buttons == [{"title": "Talk to the team", "payload": "/human_handoff"}]
    assert "Rs" not in reply.text


def test_no_product_named_and_none_discussed_asks_which(ask):
    reply = ask("price kya hai?", intent="ask_price")
    assert reply.product_id is None and reply.response == "utter_ask_which_product"


def test_faq_entry_answers_from_the_profile(ask, demo_profile):
    reply = ask("stitching ki service hai?")
    assert reply.text == demo_profile.faq[0].answer.roman_urdu


def test_delivery_to_a_city_by_its_short_name(ask):
    reply = ask("Lhr delivery charges?", intent="ask_delivery")
    assert reply.text.startswith("Ji haan, Lahore mein delivery 2-3 din mein hoti hai, charges Rs 200.")


def test_delivery_to_a_city_not_in_the_table_uses_the_default(ask):
    reply = ask("How long does delivery to Quetta take?", intent="ask_delivery", language="english")
    assert reply.text.startswith("Yes, delivery to Quetta takes 4-6 days and costs Rs 300.")


def test_what_is_asked_comes_from_the_words_when_the_intent_does_not_say(ask):
    assert ask("Karachi delivery kitne din mein").fact(F.DELIVERY).value == ("Karachi", "1-2", 150.0)
    assert ask("peshawari chappal ki price kya hai").fact(F.PRICE).value == (3990.0, 3990.0)


def test_a_fact_the_table_contradicts_is_never_sent(demo_search, demo_profile, monkeypatch, caplog):
    """The guard: an answer whose facts the variant table contradicts falls back to a safe one."""
    from knowledge import answers

    original = answers._selection_line

    def lying(c, selection):  # a bug that says yes to everything
        line = original(c, selection)
        c.facts[-1] = F.Fact(F.AVAILABLE, True, c.product.id, F.where_of(selection))
        return line
    monkeypatch.setattr(answers, "_selection_line", lying)
    reply = answer(demo_search, demo_profile, Question("men's cotton kurta M blue hai?"))  # M / Blue: 0
    assert "confirm nahi ho saki" in reply.text and reply.handoff_offered and not reply.facts
    assert "contradicts the catalog" in caplog.text


def test_a_number_that_fits_no_option_withholds_the_yes(ask):
    # Men's Cotton Kurta M / White is in stock; "64 gb" is nothing a kurta has
    plain = ask("men's cotton kurta M white hai?", intent="ask_availability")
    assert plain.fact(F.AVAILABLE).value is True
    reply = ask("men's cotton kurta 64 gb M white hai?", intent="ask_availability")
    assert reply.fact(F.AVAILABLE) is None and "Ji haan" not in reply.text
    assert '"64 gb"' in reply.text


@pytest.mark.parametrize("text, greeting", [("Hello, men's cotton kurta M white hai?", "Hello!"),
                                            ("hi kurta hai?", "Hello!"),
                                            ("AoA men's cotton kurta hai?", "Wa alaikum assalam!")])
def test_a_greeting_is_returned_in_kind_before_the_answer(ask, text, greeting):
    assert ask(text, intent="ask_availability").text.splitlines()[0] == greeting


def test_a_word_that_begins_like_a_greeting_is_none(ask):
    assert not ask("hijab black hai?", intent="ask_availability").text.startswith("Hello")
