"""Product and store questions: a thin adapter from the dialogue to knowledge/.

The catalog decides what a message names (sizes, colours, other option values); the NLU's
size and colour entities are not read. The product entity is a hint for which product."""
from __future__ import annotations

import asyncio
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.answers import Answer
from knowledge.live import knowledge_base
from knowledge.question import Question
from knowledge.roman_urdu import detect_language
from lifecycle.domain import customers, orders
from lifecycle.service import runtime


def question_from(tracker: Tracker, caption: Optional[str] = None, city: bool = True) -> Question:
    """The customer's latest message (or a photo's ``caption``) as a Question: the intent,
    the product entity, the customer's city (unless ``city`` is False) and the product
    and values discussed before."""
    message = tracker.latest_message or {}
    text = (message.get("text") or "") if caption is None else caption

    def entity(name: str) -> str | None:
        return next(iter(tracker.get_latest_entity_values(name)), None)

    return Question(
        text="" if text.startswith("/") else text,
        intent=(message.get("intent") or {}).get("name"),
        language=tracker.get_slot("language") or detect_language(text) or "roman_urdu",
        product_entity=entity("product"),
        product_id=entity("product_id"),
        city=tracker.get_slot("city") or (_last_order_city(tracker.sender_id) if city else None),
        current_product=tracker.get_slot("current_product"),
        current_options=tracker.get_slot("current_options") or {},
        photo=caption is not None,
    )


def _last_order_city(phone: str) -> str | None:
    """The city of the customer's last order, for the delivery line of an answer."""
    with runtime().db.session() as session:
        customer = customers.find(session, phone)
        order = orders.latest(session, customer) if customer else None
        return order.city if order else None


async def answer_product(dispatcher: CollectingDispatcher, tracker: Tracker, caption: Optional[str] = None) -> list:
    """Answers the message (or a photo's ``caption``) from the catalog; returns the slot events."""
    reply: Answer = await asyncio.to_thread(lambda: knowledge_base().answer(question_from(tracker, caption)))
    if reply.response:  # a fixed sentence: the designer's wording from the domain
        dispatcher.utter_message(response=reply.response, buttons=reply.buttons or None)
    else:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, image=reply.image)
    events = []
    if reply.product_id and reply.product_id != tracker.get_slot("current_product"):
        events.append(SlotSet("current_product", reply.product_id))
    if reply.product_id and reply.options != (tracker.get_slot("current_options") or {}):
        events.append(SlotSet("current_options", reply.options))
    return events


def about_a_product(tracker: Tracker) -> bool:
    """Whether the latest message asks about a product of the catalog (or the one just discussed)."""
    return knowledge_base().about_a_product(question_from(tracker, city=False))


class ActionAnswerProduct(Action):
    """Answers availability, sizes, colours, price, details, pictures, delivery, COD and
    return questions from the catalog and store profile."""

    def name(self) -> str:
        return "action_answer_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await answer_product(dispatcher, tracker)
