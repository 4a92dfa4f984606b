"""The store this action server answers for."""
from __future__ import annotations

import os


def store_name() -> str:
    return os.environ.get("SAUDA_STORE_NAME", "Sauda Demo Store")
