"""The store this action server answers for, from the store profile."""

from __future__ import annotations

from knowledge.live import knowledge_base


def store_name() -> str:
    """The store's name as its profile gives it (demo/profile.yml until the merchant sets one)."""
    return knowledge_base().profile().store_name
