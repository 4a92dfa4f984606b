"""Erasure and retention settings (see .env.example, "Privacy"): where the stores outside the
lifecycle database are, and how long message bodies are kept."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class PrivacySettings:
    conversation_days: int = 180  # Rasa trackers, escalation transcripts, customers' payment replies
    outbox_days: int = 90  # the payload and text of messages sent
    seen_wamid_days: int = 8  # dedupe marks; Meta retries a delivery for up to 7 days
    sweep_hours: float = 24  # how often a worker expires what is older
    tracker_url: str = ""  # SQLAlchemy URL of Rasa's tracker store ("" = none to erase from)
    channel_state_url: str = ""  # WHATSAPP_STATE_URL

    def __post_init__(self) -> None:
        if self.seen_wamid_days < 8:
            raise ValueError("SAUDA_RETENTION_SEEN_WAMID_DAYS: keep dedupe marks past Meta's 7 days of retries (8+)")
        if min(self.conversation_days, self.outbox_days) < 1:
            raise ValueError("SAUDA_RETENTION_*_DAYS must be at least 1")

    @classmethod
    def from_env(cls, env: Optional[dict[str, str]] = None) -> "PrivacySettings":
        env = os.environ if env is None else env
        data_dir = env.get("SAUDA_DATA_DIR", ".sauda")
        tracker = env.get("SAUDA_TRACKER_URL") or (
            f"sqlite:///{env['SAUDA_TRACKER_DB']}" if env.get("SAUDA_TRACKER_DB") else "")
        return cls(conversation_days=int(env.get("SAUDA_RETENTION_CONVERSATION_DAYS", 180)),
                   outbox_days=int(env.get("SAUDA_RETENTION_OUTBOX_DAYS", 90)),
                   seen_wamid_days=int(env.get("SAUDA_RETENTION_SEEN_WAMID_DAYS", 8)),
                   sweep_hours=float(env.get("SAUDA_RETENTION_SWEEP_HOURS", 24)),
                   tracker_url=tracker,
                   channel_state_url=env.get("WHATSAPP_STATE_URL", f"sqlite:///{data_dir}/channel.db"))
