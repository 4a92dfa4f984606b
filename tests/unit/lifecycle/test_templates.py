"""lifecycle/engine/templates.yml: validated on load, rendered as session messages or Meta templates,
and never rendered with a variable missing."""

from __future__ import annotations

import pytest

from lifecycle.engine.templates import TemplateError, Templates, default

BASE = {"languages": {"roman_urdu": "ur", "english": "en"}}


def test_a_missing_variable_is_refused_not_sent_with_a_hole():
    with pytest.raises(TemplateError, match=r"message 'dispatch': missing variable\(s\) \['cn', 'tracking_url'\]"):
        default().render(
            "dispatch",
            "923001234567",
            "english",
            {"order_ref": "SD-1", "courier": "TCS", "days": "3", "cn": ""},
            in_window=True,
        )


def test_every_message_has_both_languages_with_the_same_variables_and_valid_buttons():
    templates = default()
    assert {
        "cod_confirmation",
        "cod_reminder",
        "payment_instructions",
        "dispatch",
        "out_for_delivery_cod",
        "delivered",
        "order_cancelled",
    } <= set(templates.messages)
    for name, message in templates.messages.items():
        if message.template:
            assert message.category in ("UTILITY", "MARKETING"), name


@pytest.mark.parametrize(
    "spec, problem",
    [
        ({"params": ["a"], "text": {"roman_urdu": "{a}", "english": "{b}"}}, r"text uses \['b'\], params are \['a'\]"),
        ({"params": [], "text": {"roman_urdu": "x"}}, "no english text"),
        (
            {"category": "PROMO", "template": "t", "params": [], "text": {"roman_urdu": "x", "english": "x"}},
            "category must be one of",
        ),
        (
            {
                "params": [],
                "text": {"roman_urdu": "x", "english": "x"},
                "buttons": [{"intent": "a", "title": {"roman_urdu": "x" * 21, "english": "ok"}}],
            },
            "1-20 characters",
        ),
    ],
)
def test_an_inconsistent_file_is_refused_with_the_reason(spec, problem):
    with pytest.raises(TemplateError, match=problem):
        Templates({**BASE, "messages": {"m": spec}})


def test_a_reply_only_message_cannot_be_sent_as_a_template():
    with pytest.raises(TemplateError, match="has no Meta template"):
        default().render("order_status", "923001234567", "english", {"order_ref": "x", "status_text": "y"}, False)
