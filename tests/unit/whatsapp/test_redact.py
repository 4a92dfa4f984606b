"""Secrets never reach a log; phone numbers only at DEBUG."""
from __future__ import annotations

import logging

from whatsapp import redact


def written(level: int, message: str, *args) -> str:
    """What a handler with the filter installed writes for one record."""
    logger = logging.getLogger(f"test.redact.{level}")
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    redact.install()
    try:
        logger.log(level, message, *args)
    finally:
        logger.removeHandler(handler)
    return records[0]


def test_tokens_in_urls_headers_and_signatures_are_masked_at_every_level():
    for level in (logging.DEBUG, logging.INFO, logging.ERROR):
        line = written(level, "GET %s with %s and %s", "http://rasa/x?token=s3cret&y=1",
                       "Authorization: Bearer abc.def.ghi", "sha256=" + "ab" * 32)
        assert "s3cret" not in line and "abc.def.ghi" not in line and "ab" * 32 not in line
        assert "y=1" in line


def test_phone_numbers_are_masked_at_info_and_kept_at_debug():
    url = "HTTP Request: POST http://rasa/conversations/%2B923001234567/tracker/events"
    info = written(logging.INFO, url)
    assert "923001234567" not in info and "4567" not in info.replace("…67", "")
    assert "+447911123456" not in written(logging.WARNING, "hook for %s", "+447911123456")
    assert "923001234567" in written(logging.DEBUG, url)


def test_exception_text_is_masked_too():
    logger = logging.getLogger("test.redact.exc")
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger.addHandler(Keep())
    logger.propagate = False
    redact.install()
    try:
        raise RuntimeError("POST http://x/y?token=s3cret for +923001234567 failed")
    except RuntimeError:
        logger.exception("failed")
    assert "s3cret" not in lines[0] and "923001234567" not in lines[0]
