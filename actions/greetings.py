"""Greeting: the store's own name in the customer's language; a salam with a product
question in it ("Assalam o alaikum. Lawn 3-piece ka S size hai?") is answered as one."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.products import about_a_product, answer_product
from actions.store import store_name


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if await asyncio.to_thread(about_a_product, tracker):  # the answer returns the salam
            return await answer_product(dispatcher, tracker)
        dispatcher.utter_message(response="utter_greet", store_name=store_name())
        return []
