"""templates.yml as Meta template-creation requests (``POST /{waba-id}/message_templates``).

One request per template and language: ``name``, ``language``, ``category`` and
``components`` — a BODY whose ``{variables}`` become ``{{1}}``, ``{{2}}`` … in the order of
``params`` (the order the sender fills them), with example values, and BUTTONS of type
QUICK_REPLY for the reply buttons.
"""

from __future__ import annotations

import re
from typing import Any

from lifecycle.engine.templates import Message, Templates

BODY_LIMIT = 1024
# Example values Meta's reviewers see in place of each variable.
EXAMPLES = {
    "name": "Ayesha",
    "order_ref": "SD-10234",
    "items": "1 x Gulnaar Embroidered Lawn 3-Piece (White)",
    "amount": "5,490",
    "city": "Lahore",
    "address": "Gulberg",
    "method": "JazzCash",
    "account": "03001112222",
    "account_title": "Sauda Demo Store",
    "courier": "Leopards",
    "courier_said": "Consignee Not Available",
    "cn": "LE123456789",
    "days": "2-3",
    "tracking_url": "https://shop.example/track/Xy7",
    "total": "5,490",
    "advance": "2,745",
    "rest": "2,745",
    "checkout_url": "https://shop.example/cart/c1",
    "item": "Multani Khussa",
    "left": "3",
    "buyers": "12",
    "percent": "10",
    "code": "SAUDA-7KQ2",
    "hours": "24",
    "category": "Lawn Suit",
    "product": "Chikankari Lawn 3-Piece",
    "products": "Noor Printed Lawn 3-Piece | Bahar Digital Print Lawn 2-Piece",
}


def submittable(templates: Templates) -> list[Message]:
    """Messages registered with Meta (those with a template name), in file order."""
    return [m for m in templates.messages.values() if m.template]


def creation_requests(message: Message, templates: Templates) -> list[dict[str, Any]]:
    """The template-creation request bodies for one message, one per language."""
    numbered = {param: f"{{{{{n}}}}}" for n, param in enumerate(message.params, start=1)}
    requests = []
    for language, code in templates.meta_languages.items():
        body: dict[str, Any] = {"type": "BODY", "text": message.text[language].format(**numbered)}
        if message.params:
            body["example"] = {"body_text": [[EXAMPLES.get(p, p.replace("_", " ")) for p in message.params]]}
        components = [body]
        if message.buttons:
            components.append(
                {
                    "type": "BUTTONS",
                    "buttons": [
                        {"type": "QUICK_REPLY", "text": b.title.get(language) or b.title["roman_urdu"]}
                        for b in message.buttons
                    ],
                }
            )
        requests.append(
            {"name": message.template, "language": code, "category": message.category, "components": components}
        )
    return requests


def all_requests(templates: Templates) -> list[dict[str, Any]]:
    return [r for m in submittable(templates) for r in creation_requests(m, templates)]


def review_problems(request: dict[str, Any]) -> list[str]:
    """What Meta's review is known to refuse: a body over 1024 characters, or one that starts
    or ends with a variable."""
    text = request["components"][0]["text"]
    problems = []
    if len(text) > BODY_LIMIT:
        problems.append(f"{request['language']}: body is {len(text)} characters (limit {BODY_LIMIT})")
    if re.match(r"\s*\{\{\d+\}\}", text) or re.search(r"\{\{\d+\}\}[\s.!?]*$", text):
        problems.append(f"{request['language']}: body starts or ends with a variable")
    return problems
