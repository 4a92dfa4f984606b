"""Erasure and retention settings (see .env.example, "Privacy"): where the stores outside the
lifecycle database are, and how long message bodies are kept."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from lifecycle.config.environment import Environment


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
    def from_env(cls, env: Optional[Environment] = None) -> "PrivacySettings":
        read, d = env or Environment(), cls()
        tracker = read.text("SAUDA_TRACKER_URL") or (
            f"sqlite:///{read.raw('SAUDA_TRACKER_DB')}" if read.raw("SAUDA_TRACKER_DB") else "")
        return cls(conversation_days=read.integer("SAUDA_RETENTION_CONVERSATION_DAYS", d.conversation_days, low=1),
                   outbox_days=read.integer("SAUDA_RETENTION_OUTBOX_DAYS", d.outbox_days, low=1),
                   seen_wamid_days=read.integer("SAUDA_RETENTION_SEEN_WAMID_DAYS", d.seen_wamid_days, low=8),
                   sweep_hours=read.number("SAUDA_RETENTION_SWEEP_HOURS", d.sweep_hours, low=0.01),
                   tracker_url=tracker,
                   channel_state_url=read.text("WHATSAPP_STATE_URL", f"sqlite:///{read.data_dir()}/channel.db"))
