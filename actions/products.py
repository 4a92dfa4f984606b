"""Product and store questions: a thin adapter from the dialogue to knowledge/."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.answers import Question
from knowledge.live import knowledge_base
from knowledge.roman_urdu import detect_language


def question_from(tracker: Tracker) -> Question:
    """The customer's latest message as a Question: text, intent, this turn's entities,
    the language slot and the product discussed before."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""

    def entity(name: str) -> str | None:
        return next(iter(tracker.get_latest_entity_values(name)), None)

    return Question(
        text="" if text.startswith("/") else text,
        intent=(message.get("intent") or {}).get("name"),
        language=tracker.get_slot("language") or detect_language(text) or "roman_urdu",
        product_entity=entity("product"),
        product_id=entity("product_id"),
        size=entity("size"),
        colour=entity("colour"),
        city=entity("city") or tracker.get_slot("city"),
        current_product=tracker.get_slot("current_product"),
    )


class ActionAnswerProduct(Action):
    """Answers availability, sizes, colours, price, details, pictures, delivery, COD and
    return questions from the catalog and store profile."""

    def name(self) -> str:
        return "action_answer_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reply = await knowledge_base().answer_async(question_from(tracker))
        if reply.response:  # a fixed sentence: the designer's wording from the domain
            dispatcher.utter_message(response=reply.response, buttons=reply.buttons or None)
        else:
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, image=reply.image)
        if reply.product_id and reply.product_id != tracker.get_slot("current_product"):
            return [SlotSet("current_product", reply.product_id)]
        return []
