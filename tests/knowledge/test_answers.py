"""Answers: follow-ups, ambiguity, unknown products, low stock, language, store facts."""
from __future__ import annotations

import json

import pytest

from knowledge.answers import Question, answer


@pytest.fixture(scope="module")
def ask(demo_search, demo_profile):
    def ask(text: str, **kwargs):
        return answer(demo_search, demo_profile, Question(text=text, **kwargs))
    return ask


def test_the_issue_example_answers_size_colours_price_and_link(ask):
    # Zara is the only lawn 3-piece made in sizes; S comes in Off-White (1 left) and Pink (14)
    reply = ask("Lawn 3-piece ka S size available hai?", intent="ask_availability")
    assert reply.product_id == "zara-stitched-lawn-3-piece"
    assert reply.text.startswith("Ji haan, Zara Stitched Lawn 3-Piece (S) available hai.")
    assert "Rs 6,990" in reply.text and "Rs 8,490" in reply.text and "18% off" in reply.text
    assert "https://demo.sauda.pk/products/zara-stitched-lawn-3-piece" in reply.text
    assert "baqi" not in reply.text  # 15 in S: not low


def test_only_n_left_when_stock_is_low(ask):
    # Zara S / Off-White: 1 piece in the demo export
    reply = ask("Zara stitched lawn S off white hai?", intent="ask_availability")
    assert reply.facts["left"] == 1 and "Sirf 1 baqi hain." in reply.text


def test_out_of_stock_combination_says_so_and_lists_what_is_in_stock(ask):
    # Men's Cotton Kurta M / Blue: 0 in the demo export; M comes in White and Black
    reply = ask("Is the men's cotton kurta available in M blue?", intent="ask_availability", language="english")
    assert reply.facts["available"] is False
    assert "Sorry, Men's Cotton Kurta (M Blue) is out of stock right now." in reply.text


def test_a_product_sold_out_in_every_variant(ask):
    reply = ask("oxidised silver jhumka hai?", intent="ask_availability")
    assert reply.facts["available"] is False and "stock mein nahi hai" in reply.text


def test_a_colour_the_product_does_not_come_in(ask):
    reply = ask("peshawari chappal gulabi mein hai?", intent="ask_availability")
    assert "pink rang mein nahi aata" in reply.text and "Brown, Black aur Tan" in reply.text


def test_follow_up_uses_the_product_just_discussed(ask):
    first = ask("Mirror work kurta price please", intent="ask_price", language="english")
    follow = ask("aur M mein hai?", intent="ask_availability", current_product=first.product_id)
    assert follow.product_id == "mirror-work-kurta"
    assert follow.facts["asked"] == {"sizes": ["M"], "colours": []}


def test_naming_another_product_leaves_the_one_discussed(ask):
    reply = ask("ajrak shawl ki price?", intent="ask_price", current_product="mirror-work-kurta")
    assert reply.product_id == "ajrak-shawl"


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
    assert reply.text.startswith("Lahore mein delivery 2-3 din mein hoti hai, charges Rs 200.")


def test_delivery_to_a_city_not_in_the_table_uses_the_default(ask):
    reply = ask("How long does delivery to Quetta take?", intent="ask_delivery", language="english")
    assert reply.text.startswith("Delivery to Quetta takes 4-6 days and costs Rs 300.")


def test_intent_can_be_inferred_from_the_words_alone(ask):
    assert ask("Karachi delivery kitne din mein").facts["delivery_days"] == "1-2"
    assert ask("peshawari chappal ki price kya hai").facts["price"] == 3990.0
