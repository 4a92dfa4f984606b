"""Approved message templates as Meta would hold them, read from lifecycle/engine/templates.yml.

With the registry loaded, sends are checked the way Meta checks them (unknown name or
language -> 132001, wrong number of body parameters -> 132000) and rendered for the web
chat. Without it (file missing or unreadable), templates are accepted and shown by name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from whatsapp.errors import MetaError

logger = logging.getLogger(__name__)
_VARIABLE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class ApprovedTemplate:
    name: str
    language: str
    text: str  # with Meta's numbered placeholders {{1}}, {{2}}, ...
    params: int
    buttons: tuple  # quick-reply button titles


class TemplateRegistry:
    def __init__(self, templates: dict[tuple[str, str], ApprovedTemplate]) -> None:
        self.templates = templates

    @classmethod
    def load(cls, path: Optional[Path]) -> "TemplateRegistry":
        if not path or not path.exists():
            return cls({})
        try:
            return cls(_read(yaml.safe_load(path.read_text())))
        except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError) as exc:
            logger.warning("templates in %s not loaded (%r); templates are not checked", path, exc)
            return cls({})

    def check(self, template: dict[str, Any]) -> Optional[tuple[int, str]]:
        """(Meta error code, detail) when Meta would reject this template send."""
        if not self.templates:
            return None
        key = (template.get("name"), (template.get("language") or {}).get("code"))
        approved = self.templates.get(key)
        if approved is None:
            return MetaError.TEMPLATE_MISSING, f"template {key[0]!r} does not exist in language {key[1]!r}"
        given = len(_body_params(template))
        if given != approved.params:
            return (
                MetaError.TEMPLATE_PARAMS_MISMATCH,
                f"template {approved.name!r} expects {approved.params} body parameters, got {given}",
            )
        return None

    def render(self, template: dict[str, Any]) -> dict[str, Any]:
        """What the customer sees: the text with parameters filled in, and button titles."""
        key = (template.get("name"), (template.get("language") or {}).get("code"))
        approved = self.templates.get(key)
        params = _body_params(template)
        payloads = [
            (c.get("parameters") or [{}])[0].get("payload", "")
            for c in template.get("components") or []
            if c.get("type") == "button" and c.get("sub_type") == "quick_reply"
        ]
        if approved is None:
            text = f"[{key[0]}] " + " · ".join(params)
            titles = [
                p.lstrip("/").split("{")[0].replace("_", " ") or f"Button {i + 1}" for i, p in enumerate(payloads)
            ]
        else:
            text = re.sub(r"\{\{(\d+)\}\}", lambda m: params[int(m.group(1)) - 1], approved.text)
            titles = list(approved.buttons[: len(payloads)])
        return {"text": text, "buttons": [{"title": t, "payload": p} for t, p in zip(titles, payloads)]}


def _body_params(template: dict[str, Any]) -> list[str]:
    for component in template.get("components") or []:
        if component.get("type") == "body":
            return [str(p.get("text", "")) for p in component.get("parameters") or []]
    return []


def _read(data: dict) -> dict[tuple[str, str], ApprovedTemplate]:
    codes = data["languages"]  # {"roman_urdu": "ur", "english": "en"}
    templates = {}
    for message in data["messages"].values():
        if not message.get("template"):
            continue
        order = {name: i + 1 for i, name in enumerate(message.get("params") or [])}
        for language, code in codes.items():
            text = _VARIABLE.sub(lambda m, order=order: "{{%d}}" % order[m.group(1)], message["text"][language])
            titles = tuple(b["title"][language] for b in message.get("buttons") or [])
            templates[(message["template"], code)] = ApprovedTemplate(
                message["template"], code, text, len(order), titles
            )
    return templates
