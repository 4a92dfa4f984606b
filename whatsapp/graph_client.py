"""A small async client for ``POST /{version}/{phone_number_id}/messages``.

One pooled httpx client per process; bounded retries with exponential backoff and
jitter on HTTP 429 / 5xx / network errors; no retry on other 4xx; Meta's error codes
surfaced as distinct outcomes; a pacing limit per phone number.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import httpx

from whatsapp.errors import SendOutcome, is_transient, outcome_for
from whatsapp.retry import RetryPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    """What happened to one send: ``outcome`` is "sent" or a name from bot.errors/"error"."""

    outcome: str
    wamid: Optional[str] = None
    status_code: Optional[int] = None
    error_code: Optional[int] = None
    error_message: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.outcome == SendOutcome.SENT

    @property
    def transient(self) -> bool:
        return is_transient(self.status_code, self.outcome)


class Pacer:
    """At most ``rate`` sends per second (a token bucket holding one second of burst)."""

    def __init__(self, rate: float) -> None:
        self.rate = float(rate)
        self._tokens = float(rate)
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.rate, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)


@dataclass
class GraphClient:
    """Sends message payloads to the Graph API (or the simulator that speaks it)."""

    base_url: str
    version: str
    phone_number_id: str
    access_token: str
    retry: RetryPolicy = RetryPolicy(base=0.2, cap=5.0, attempts=5, jitter=True)
    rate_per_second: float = 80.0
    timeout: float = 10.0
    _client: Optional[httpx.AsyncClient] = field(default=None, init=False, repr=False)
    _pacer: Optional[Pacer] = field(default=None, init=False, repr=False)

    @property
    def messages_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.version}/{self.phone_number_id}/messages"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=3.0),
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                headers={"Authorization": f"Bearer {self.access_token}"},
            )
            self._pacer = Pacer(self.rate_per_second)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def send(self, payload: dict[str, Any]) -> SendResult:
        """Send one message payload; retry transient failures; never raise for API errors."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **payload}
        client = self._http()
        assert self._pacer is not None  # made with the client
        last: SendResult = SendResult(outcome="error", error_message="not attempted")
        for attempt in range(1, (self.retry.attempts or 1) + 1):
            await self._pacer.wait()
            try:
                response = await client.post(self.messages_url, json=body)
            except httpx.TransportError as exc:
                # A timeout after Meta accepted the request can duplicate a message; a
                # duplicate reply costs less than a lost one, so network errors are retried.
                last = SendResult(outcome="error", error_message=f"network: {exc!r}", attempts=attempt)
            else:
                last = _result_from_response(response, attempt)
                if not is_transient(response.status_code):
                    break
            if not self.retry.gives_up(attempt):
                await asyncio.sleep(self.retry.delay(attempt))
        if not last.ok:
            logger.warning(
                "whatsapp send to %s failed: %s (code %s, http %s, %d attempts) %s",
                payload.get("to"),
                last.outcome,
                last.error_code,
                last.status_code,
                last.attempts,
                last.error_message,
            )
        return last


def _describe(error: dict[str, Any]) -> str:
    """Meta's message plus the specifics it puts in ``error_data.details``."""
    details = (error.get("error_data") or {}).get("details")
    message = str(error.get("message") or "")
    return f"{message}: {details}" if details and details != message else message


def _result_from_response(response: httpx.Response, attempt: int) -> SendResult:
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code == 200 and data.get("messages"):
        return SendResult("sent", wamid=data["messages"][0].get("id"), status_code=200, attempts=attempt)
    error = data.get("error") or {}
    code = error.get("code")
    return SendResult(
        outcome_for(code, response.status_code),
        status_code=response.status_code,
        error_code=code,
        error_message=_describe(error) or response.text[:200],
        attempts=attempt,
    )
