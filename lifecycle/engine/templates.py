"""Messages from lifecycle/engine/templates.yml, rendered as session messages or Meta templates.

The renderer refuses a missing variable (``TemplateError``) rather than sending a
message with a hole in it; the file is validated when it is loaded.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from whatsapp.payloads import location_request_payload, reply_buttons_payload, template_payload, text_payload

TEMPLATES_FILE = Path(__file__).resolve().parent / "templates.yml"
LANGUAGES = ("roman_urdu", "english")
CATEGORIES = ("UTILITY", "MARKETING")


class TemplateError(ValueError):
    """The templates file is inconsistent, or a message was rendered without a variable."""


@dataclass(frozen=True)
class Button:
    intent: str
    title: dict[str, str]
    entities: dict[str, str]

    def payload(self, variables: dict[str, Any]) -> str:
        """``/intent{"order_id": …, …}``: understood by Rasa without NLU, even out of context."""
        entities = dict(self.entities)
        if variables.get("order_ref"):
            entities = {"order_id": str(variables["order_ref"]), **entities}
        return f"/{self.intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"


@dataclass(frozen=True)
class Message:
    name: str
    category: Optional[str]
    template: Optional[str]
    params: tuple[str, ...]
    text: dict[str, str]
    buttons: tuple[Button, ...]
    location_request: bool = False  # in the window: WhatsApp's "Send location" button under the text

    def render_text(self, language: str, variables: dict[str, Any]) -> str:
        missing = [p for p in self.params if variables.get(p) in (None, "")]
        if missing:
            raise TemplateError(f"message {self.name!r}: missing variable(s) {missing}")
        return self.text[language if language in self.text else "roman_urdu"].format(
            **{p: variables[p] for p in self.params}
        )


@dataclass(frozen=True)
class Rendered:
    """One message ready for the Graph API, and the text a person reads."""

    name: str
    category: str
    mode: str  # "session" | "template"
    text: str
    payload: dict[str, Any]
    buttons: tuple[dict[str, str], ...]


class Templates:
    def __init__(self, data: dict[str, Any]) -> None:
        self.meta_languages: dict[str, str] = dict(data.get("languages") or {})
        self.messages: dict[str, Message] = {}
        for name, spec in (data.get("messages") or {}).items():
            self.messages[name] = _message(name, spec)
        self.status_texts: dict[str, dict[str, str]] = dict(data.get("status_texts") or {})
        for language in LANGUAGES:
            if language not in self.meta_languages:
                raise TemplateError(f"languages: no Meta language code for {language!r}")

    def __getitem__(self, name: str) -> Message:
        try:
            return self.messages[name]
        except KeyError:
            raise TemplateError(f"no message {name!r} in {TEMPLATES_FILE.name}") from None

    def text(self, message_name: str, language: str, **variables: Any) -> str:
        return self[message_name].render_text(language, variables)

    def status_text(self, status: str, language: str) -> str:
        texts = self.status_texts.get(status) or {}
        return texts.get(language) or texts.get("roman_urdu") or status

    def buttons(self, message_name: str, language: str, variables: dict[str, Any]) -> list[dict[str, str]]:
        """Rasa-style buttons ``{"title", "payload"}`` for a reply inside a conversation."""
        return [
            {"title": b.title.get(language) or b.title["roman_urdu"], "payload": b.payload(variables)}
            for b in self[message_name].buttons
        ]

    def render(self, name: str, to: str, language: str, variables: dict[str, Any], in_window: bool) -> Rendered:
        """Inside the 24 h window: text or interactive buttons; outside: the approved template."""
        message = self[name]
        if message.template is None:
            raise TemplateError(f"message {name!r} has no Meta template: it can only be a reply")
        text = message.render_text(language, variables)
        buttons = tuple(self.buttons(name, language, variables))
        if in_window:
            if message.location_request:
                payload = location_request_payload(to, text)
            elif buttons:
                payload = reply_buttons_payload(to, text, list(buttons))
            else:
                payload = text_payload(to, text)
            mode = "session"
        else:
            payload = template_payload(
                to,
                message.template,
                self.meta_languages[language],
                [variables[p] for p in message.params],
                [b["payload"] for b in buttons],
            )
            mode = "template"
        return Rendered(name, message.category, mode, text, payload, buttons)


def _message(name: str, spec: dict[str, Any]) -> Message:
    params = tuple(spec.get("params") or ())
    text = spec.get("text") or {}
    for language in LANGUAGES:
        if language not in text:
            raise TemplateError(f"message {name!r}: no {language} text")
        used = {field for _, field, _, _ in string.Formatter().parse(text[language]) if field}
        if used != set(params):
            raise TemplateError(f"message {name!r} ({language}): text uses {sorted(used)}, params are {sorted(params)}")
    category = spec.get("category")
    if category is not None and category not in CATEGORIES:
        raise TemplateError(f"message {name!r}: category must be one of {CATEGORIES}, got {category!r}")
    if (category is None) != (spec.get("template") is None):
        raise TemplateError(f"message {name!r}: a template needs a category and a category needs a template")
    buttons = tuple(
        Button(b["intent"], dict(b["title"]), dict(b.get("entities") or {})) for b in spec.get("buttons") or ()
    )
    if len(buttons) > 3:
        raise TemplateError(f"message {name!r}: at most 3 reply buttons")
    for button in buttons:
        for language in LANGUAGES:
            if not 0 < len(button.title.get(language, "")) <= 20:
                raise TemplateError(f"message {name!r}: button title for {language} must be 1-20 characters")
    if spec.get("location_request") and buttons:
        raise TemplateError(f"message {name!r}: a location request cannot have reply buttons too")
    return Message(name, category, spec.get("template"), params, dict(text), buttons,
                   bool(spec.get("location_request")))


def load(path: Path = TEMPLATES_FILE) -> Templates:
    return Templates(yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default() -> Templates:
    return load()
