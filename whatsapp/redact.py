"""A logging filter that keeps secrets and phone numbers out of logs: tokens in URLs, bearer
tokens and signatures always; phone numbers (11-15 digits, with or without +, also inside
URLs such as httpx's "HTTP Request: POST .../conversations/%2B92300.../tracker") in every
record at INFO and above, so only a DEBUG log shows a customer's number (stdlib only)."""
from __future__ import annotations

import logging
import re

_SECRETS = [
    (re.compile(r"(?i)([?&](?:token|access_token|hub\.verify_token|key|password)=)[^&\s'\"]+"), r"\1***"),
    (re.compile(r"(?i)(bearer\s+)[\w.~+/=-]+"), r"\1***"),
    (re.compile(r"(sha256=)[0-9a-f]{16,}"), r"\1***"),
]
_PHONE = re.compile(r"(?<!\d)(\+?\d{3})\d{6,10}(\d{2})(?!\d)")


def redact(text: str, phones: bool = True) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return _PHONE.sub(r"\1…\2", text) if phones else text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        phones = record.levelno >= logging.INFO
        record.msg, record.args = redact(record.getMessage(), phones), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), phones)
        return True


def install() -> None:
    """Put the filter on every handler there is now (the root's and those of loggers that do
    not propagate, such as Sanic's), where it sees every record that is written."""
    loggers = [logging.getLogger()] + [logger for logger in logging.root.manager.loggerDict.values()
                                       if isinstance(logger, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
