"""Reading a request body as JSON: every unreadable body is a ValueError (a 400 for the
caller), including nesting deeper than Python's recursion limit, which json raises as
RecursionError and would otherwise answer 500."""
from __future__ import annotations

import json
from typing import Any


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
