"""Meta template-creation requests from templates.yml, checked against the API's documented shape."""

from __future__ import annotations

import re

from lifecycle.engine import meta_templates
from lifecycle.engine.templates import Templates

TEMPLATES = Templates(
    {
        "languages": {"roman_urdu": "ur", "english": "en"},
        "messages": {
            "cod_confirmation": {
                "category": "UTILITY",
                "template": "sauda_cod_confirmation",
                "params": ["name", "order_ref", "amount"],
                "buttons": [
                    {"intent": "confirm_order", "title": {"roman_urdu": "Confirm karein", "english": "Confirm"}},
                    {"intent": "cancel_order", "title": {"roman_urdu": "Cancel karein", "english": "Cancel"}},
                ],
                "text": {
                    "roman_urdu": "Salam {name}! Order {order_ref} ke Rs. {amount} COD par.",
                    "english": "Hello {name}! Order {order_ref}: Rs. {amount} cash on delivery.",
                },
            },
            "order_status": {
                "params": ["order_ref"],
                "text": {"roman_urdu": "Order {order_ref}", "english": "{order_ref}"},
            },
        },
    }
)


def test_one_request_per_language_with_numbered_variables_examples_and_quick_replies():
    assert meta_templates.all_requests(TEMPLATES) == [
        {
            "name": "sauda_cod_confirmation",
            "language": "ur",
            "category": "UTILITY",
            "components": [
                {
                    "type": "BODY",
                    "text": "Salam {{1}}! Order {{2}} ke Rs. {{3}} COD par.",
                    "example": {"body_text": [["Ayesha", "SD-10234", "5,490"]]},
                },
                {
                    "type": "BUTTONS",
                    "buttons": [
                        {"type": "QUICK_REPLY", "text": "Confirm karein"},
                        {"type": "QUICK_REPLY", "text": "Cancel karein"},
                    ],
                },
            ],
        },
        {
            "name": "sauda_cod_confirmation",
            "language": "en",
            "category": "UTILITY",
            "components": [
                {
                    "type": "BODY",
                    "text": "Hello {{1}}! Order {{2}}: Rs. {{3}} cash on delivery.",
                    "example": {"body_text": [["Ayesha", "SD-10234", "5,490"]]},
                },
                {
                    "type": "BUTTONS",
                    "buttons": [{"type": "QUICK_REPLY", "text": "Confirm"}, {"type": "QUICK_REPLY", "text": "Cancel"}],
                },
            ],
        },
    ]  # order_status is a reply inside a conversation: never submitted


def test_review_problems():
    ends = {"language": "en", "components": [{"type": "BODY", "text": "Track it: {{1}}"}]}
    starts = {"language": "en", "components": [{"type": "BODY", "text": "{{1}}, hello"}]}
    long = {"language": "ur", "components": [{"type": "BODY", "text": "a" * 1025}]}
    fine = {"language": "en", "components": [{"type": "BODY", "text": "Hi {{1}}, thanks."}]}
    assert meta_templates.review_problems(ends) == ["en: body starts or ends with a variable"]
    assert meta_templates.review_problems(starts) == ["en: body starts or ends with a variable"]
    assert meta_templates.review_problems(long) == ["ur: body is 1025 characters (limit 1024)"]
    assert meta_templates.review_problems(fine) == []


def test_every_template_in_the_real_file_has_example_values():
    from lifecycle.engine.templates import load

    for request in meta_templates.all_requests(load()):
        body = request["components"][0]
        values = body.get("example", {}).get("body_text", [[]])[0]
        assert len(set(re.findall(r"\{\{\d+\}\}", body["text"]))) == len(values)  # a variable may repeat
        assert all(value in meta_templates.EXAMPLES.values() for value in values), request["name"]
