"""Which language to answer in: a custom slot mapping run on every customer message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.roman_urdu import detect_language


class ActionDetectLanguage(Action):
    """Sets ``language`` from the latest message; unclear text ("ok", a button tap) keeps it."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):
            return []
        language = detect_language(text)
        if language is None or language == tracker.get_slot("language"):
            return []
        return [SlotSet("language", language)]
