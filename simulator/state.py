"""What the simulator remembers: chats per customer, pending faults and its clock."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Optional

WINDOW_SECONDS = 24 * 3600


@dataclass
class ChatRecord:
    """One message in a customer's chat, as the web chat and the tests read it."""

    direction: str  # "in" (customer -> business) or "out" (business -> customer)
    wamid: str
    type: str
    message: dict  # the type-specific object as on the wire ({"body": ...} for text)
    at: float  # simulator clock
    status: str = ""  # out: accepted/sent/delivered/read/failed; in: delivered/failed (webhook ack)
    errors: list = field(default_factory=list)
    rendered: Optional[dict] = None  # templates: {"text", "buttons"} as the customer sees them


@dataclass(frozen=True)
class Fault:
    """A send that fails: synchronously with an HTTP error, or later by status webhook."""

    http_status: int = 500
    code: Optional[int] = None
    via_webhook: bool = False
    delay: float = 0.0  # seconds before answering (a slow Graph API)

    @property
    def fails_now(self) -> bool:
        """An HTTP error answer (rather than a delay, or a failure reported later)."""
        return not self.via_webhook and self.http_status >= 300


class SimulatorState:
    def __init__(self) -> None:
        self.transcripts: dict[str, list[ChatRecord]] = {}
        self.names: dict[str, str] = {}
        self.last_inbound: dict[str, float] = {}
        self.faults: deque[Fault] = deque()
        self.clock_offset = 0.0
        self.changed = asyncio.Condition()
        self.sends_accepted = 0
        self.sends_rejected = 0

    def now(self) -> float:
        """The simulator's clock: real time plus whatever ``POST /sim/clock`` advanced."""
        return time.time() + self.clock_offset

    def chat(self, wa_id: str) -> list[ChatRecord]:
        return self.transcripts.setdefault(wa_id, [])

    def record_inbound(self, wa_id: str, record: ChatRecord, name: Optional[str] = None) -> None:
        self.chat(wa_id).append(record)
        self.last_inbound[wa_id] = record.at
        if name:
            self.names[wa_id] = name

    def window_open(self, wa_id: str) -> bool:
        """Free-form messages are allowed within 24 h of the customer's last message."""
        last = self.last_inbound.get(wa_id)
        return last is not None and self.now() - last <= WINDOW_SECONDS

    async def add_outbound(self, wa_id: str, record: ChatRecord) -> None:
        async with self.changed:
            self.chat(wa_id).append(record)
            self.sends_accepted += 1
            self.changed.notify_all()

    def next_fault(self) -> Optional[Fault]:
        return self.faults.popleft() if self.faults else None
