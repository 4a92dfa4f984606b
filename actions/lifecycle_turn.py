"""Shared adapter for the order-lifecycle actions: one database transaction per turn, and the
``Say`` items from lifecycle/conversation/replies.py passed to the dispatcher."""
from __future__ import annotations

import asyncio
import inspect
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from lifecycle.conversation.replies import Reply, Turn
from lifecycle.service import runtime


def entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


class LifecycleAction(Action, ABC):
    """Subclasses implement ``reply(turn, tracker)`` with a function from lifecycle/conversation/replies.py
    (abstract, so rasa-sdk does not register this base class as an action)."""

    @abstractmethod
    def reply(self, turn: Turn, tracker: Tracker) -> Reply:
        """What to answer, from a lifecycle/conversation/replies.py function."""

    def _run(self, tracker: Tracker) -> Reply:
        lifecycle = runtime()
        with lifecycle.db.session.begin() as session:
            turn = Turn(session=session, phone=tracker.sender_id, language=tracker.get_slot("language") or "roman_urdu",
                        now=lifecycle.now(), settings=lifecycle.settings, templates=lifecycle.templates,
                        text=tracker.latest_message.get("text") or "",
                        order_ref=entity(tracker, "order_id"))
            return self.reply(turn, tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        reply = await asyncio.to_thread(self._run, tracker)  # database work off the event loop
        responses = domain.get("responses") or {}
        for say in reply.says:
            if say.response and (say.response in responses or not say.text):
                dispatcher.utter_message(response=say.response, **say.variables)
            else:
                dispatcher.utter_message(text=say.text, buttons=say.buttons or None)
        slots = domain.get("slots") or {}
        events = [SlotSet(name, value) for name, value in reply.slots.items() if name in slots]
        if reply.followup:
            events += await run_followup(reply.followup, dispatcher, tracker, domain)
        return events


async def run_followup(name: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: dict[str, Any]) -> list[dict[str, Any]]:
    """Runs the action a reply hands the message to within this same action call. Handed to
    Rasa as a FollowupAction instead, the dialogue policies would have to predict what comes
    after it, which no rule says; their fallback then reverted the turn, the product slot
    with it ("aur 40?" lost the product). Forms still go to Rasa, which runs them."""
    if name.startswith("utter_"):
        dispatcher.utter_message(response=name)
        return []
    action = _custom_actions().get(name)
    if action is None or name.endswith("_form"):
        return [FollowupAction(name)]
    return await action.run(dispatcher, tracker, domain)


@lru_cache(maxsize=1)
def _custom_actions() -> dict[str, Action]:
    """Every concrete action of this package (actions/), by name; built at the first follow-up,
    when rasa-sdk has imported every action module."""
    found: dict[str, Action] = {}
    pending = list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith(f"{__package__}.") and not inspect.isabstract(cls):
            action = cls()
            found[action.name()] = action
    return found
