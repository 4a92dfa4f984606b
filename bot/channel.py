"""WhatsApp Cloud API channel for Rasa: ``/webhooks/whatsapp/webhook``.

Enable it in ``credentials.yml`` as ``bot.channel.WhatsAppInput``. The POST handler
verifies the signature over the raw body, then in one step marks each ``wamid`` seen and
keeps the message in the durable inbox (bot/state.py) before it answers 200. Messages are
handed to Rasa from the inbox, one customer at a time in arrival order; a failed turn is
retried with backoff, then parked; after a restart the inbox is resumed. A customer over
the rate limit gets one slow-down message and no Rasa turns.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import defaultdict, deque
from dataclasses import asdict
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.hooks import HookForwarder, LifecycleHooks, inbound_hook, update_hook
from bot.settings import SLOW_DOWN, ChannelSettings
from bot.state import Inbound, Queued, open_state
from whatsapp import payloads as outgoing
from whatsapp import redact
from whatsapp.graph_client import GraphClient, SendResult
from whatsapp.retry import RetryPolicy
from whatsapp.signing import SIGNATURE_HEADER, signature_is_valid, token_matches
from whatsapp.updates import InboundMessage, parse_webhook

logger = logging.getLogger(__name__)

LIST_LABEL = "Options dekhein"
NUMBERED_FOOTER = "Jawab mein number bhejein (maslan 1) / Reply with a number."
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")
# Media a person may need later (a payment screenshot, a voice note): acknowledged as
# kept. Stickers, contacts and unknown types get the "what I can read" reply.
KEPT_MEDIA = ("image", "video", "audio", "voice", "document")
# A turn Rasa failed (tracker store, lock, output): tried again with backoff, then parked.
TURN_RETRY = RetryPolicy(base=0.5, cap=30.0, attempts=8)


def sender_id_for(wa_id: str) -> str:
    """Rasa conversation id for a WhatsApp user: E.164 with the plus sign."""
    return "+" + wa_id.lstrip("+")


def wa_id_for(sender_id: str) -> str:
    return sender_id.lstrip("+")


class WhatsAppOutput(OutputChannel):
    """Sends Rasa responses as Graph API messages."""

    def __init__(self, client: GraphClient, state) -> None:
        self.client = client
        self.state = state
        self.results: list[SendResult] = []

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    async def _send(self, payload: dict) -> SendResult:
        result = await self.client.send(payload)
        self.results.append(result)
        return result

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in outgoing.split_text(text):
            await self._send(outgoing.text_payload(wa_id_for(recipient_id), chunk))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list, **kwargs: Any
    ) -> None:
        to = wa_id_for(recipient_id)
        if len(buttons) > outgoing.MAX_LIST_ROWS:  # saved first: the answer may come fast
            await self.state.save_menu(recipient_id, [b.get("payload") or b.get("title") for b in buttons])
        label = kwargs.get("list_label") or LIST_LABEL
        for payload in outgoing.payloads_for_buttons(to, text, buttons, label, NUMBERED_FOOTER):
            await self._send(payload)

    async def send_quick_replies(self, recipient_id: str, text: str, quick_replies: list, **kwargs) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(outgoing.image_payload(wa_id_for(recipient_id), image))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """A URL (or ``{"url", "type", "caption", "filename"}``) sent as a WhatsApp media message."""
        spec = attachment if isinstance(attachment, dict) else {"url": str(attachment)}
        await self._send(outgoing.media_payload(
            wa_id_for(recipient_id), spec.get("type", "document"), spec["url"],
            spec.get("caption"), spec.get("filename"),
        ))

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        """``json_message`` is a Graph API message body without ``to`` (template, image, …),
        or the template shorthand ``{"type": "template", "name", "language", "body_params",
        "quick_replies"}`` (quick replies are button payloads such as ``/confirm_order{…}``)."""
        message = dict(json_message)
        if message.get("type") == "template" and "template" not in message:
            message = outgoing.template_payload(
                wa_id_for(recipient_id),
                message["name"],
                message.get("language", "en"),
                message.get("body_params"),
                message.get("quick_replies"),
            )
        message["to"] = wa_id_for(recipient_id)
        await self._send(message)


class WhatsAppInput(InputChannel):
    """Receives WhatsApp Cloud API webhooks."""

    def __init__(self, settings: ChannelSettings) -> None:
        missing = settings.missing()
        if missing:
            raise ValueError(f"WhatsApp channel: set {', '.join(missing)} (see .env.example)")
        self.settings = settings
        self.state = open_state(settings.state_url)
        self.client = GraphClient(
            base_url=settings.graph_base_url,
            version=settings.graph_version,
            phone_number_id=settings.phone_number_id,
            access_token=settings.access_token,
            rate_per_second=settings.rate_per_second,
        )
        hooks = LifecycleHooks(settings.hooks_url, settings.internal_secret)
        hooks.check(settings.hooks_wait_s)  # a wrong secret would have every event refused
        self.forwarder = HookForwarder(hooks, self.state)
        self._draining: dict[str, bool] = {}  # customers being drained: whether more arrived since the last read
        self._background: set[asyncio.Task] = set()
        self._arrivals: dict[str, deque] = defaultdict(deque)  # recent arrival times per customer
        self._slowed: dict[str, float] = {}  # when each customer was last told to slow down
        self._resumed: set[str] = set()  # inbox keys a previous process left
        self._waiting: dict[str, int] = defaultdict(int)  # Rasa turns waiting in the inbox per customer
        self._agent = None  # Rasa's agent, for its tracker store

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "WhatsAppInput":
        return cls(ChannelSettings.from_env())

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput(self.client, self.state)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("whatsapp_webhook", __name__)

        @bp.listener("after_server_start")
        async def resume(app, loop=None):
            redact.install()  # Rasa's and Sanic's handlers exist by now
            # Rasa's server takes 100 MB by default; read per connection, so this applies from now on
            app.config.REQUEST_MAX_SIZE = self.settings.max_body
            self.forwarder.start()  # what a previous process queued but did not hand over
            self._agent = getattr(app.ctx, "agent", None)
            if unparked := await self.state.unpark_inbox():
                logger.warning("whatsapp: %d parked messages get their tries again", unparked)
            for queued in await self.state.inbox(limit=100_000):  # acknowledged, not yet answered
                self._resumed.add(queued.key)
                self._waiting[queued.sender] += not queued.flood
                self._drain_soon(queued.sender, on_new_message)

        @bp.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request):
            if request.args.get("hub.mode") == "subscribe" and token_matches(
                request.args.get("hub.verify_token"), self.settings.verify_token
            ):
                return response.text(request.args.get("hub.challenge", ""))
            return response.text("verification failed", status=403)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            raw = request.body or b""
            if not signature_is_valid(raw, request.headers.get(SIGNATURE_HEADER), self.settings.app_secret):
                logger.warning("whatsapp webhook: bad or missing %s, %d bytes dropped", SIGNATURE_HEADER, len(raw))
                return response.json({"error": "invalid signature"}, status=401)
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                # Meta only ever posts JSON, so a signed non-JSON body is a broken proxy or
                # client of ours: 400 makes it visible instead of pretending success.
                logger.error("whatsapp webhook: signed body is not JSON (%s), %d bytes", exc, len(raw))
                return response.json({"error": f"body is not JSON: {exc}"}, status=400)
            parsed = parse_webhook(body)
            for problem in parsed.problems:
                # JSON signed by Meta that we cannot read (wrong object, missing fields):
                # any non-2xx answer makes Meta redeliver the same body for days, and it
                # will never become readable, so it is logged and acknowledged unprocessed.
                logger.error("whatsapp webhook: skipped unreadable update: %s", problem)
            # Messages, statuses, opt-outs and template updates are kept on disk before the ack
            # and handled in the background, so neither a crash nor an app-server outage loses any.
            hooks = [body for body in map(update_hook, parsed.updates) if body]
            messages = [self._inbound(u) for u in parsed.updates if isinstance(u, InboundMessage)]
            try:
                fresh = await self.state.accept(messages, hooks)
            except Exception:
                logger.exception("whatsapp webhook: could not keep %d messages and %d events", len(messages), len(hooks))
                return response.json({"error": "could not keep the update, retry"}, status=503)
            if hooks or fresh:
                self.forwarder.start()
            for message in fresh:
                self._waiting[message.sender] += not message.flood
                self._drain_soon(message.sender, on_new_message)
            return response.json({"status": "ok", "accepted": len(fresh), "problems": parsed.problems})

        return bp

    def _inbound(self, message: InboundMessage) -> Inbound:
        """What the inbox keeps for a message; over the customer's rate it is marked a flood."""
        sender = sender_id_for(message.sender)
        arrivals, now = self._arrivals[sender], time.monotonic()
        while arrivals and now - arrivals[0] > self.settings.rate_window_s:
            arrivals.popleft()
        arrivals.append(now)
        flood = len(arrivals) > self.settings.rate_limit or self._waiting.get(sender, 0) >= self.settings.queue_limit
        return Inbound(sender, message.wamid, json.dumps(asdict(message)), flood, inbound_hook(message))

    def _drain_soon(self, sender: str, on_new_message) -> None:
        """Start the customer's drain, or tell the running one to read the inbox again."""
        if sender in self._draining:
            self._draining[sender] = True
            return
        self._draining[sender] = False
        task = asyncio.get_running_loop().create_task(self._drain(sender, on_new_message))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _drain(self, sender: str, on_new_message) -> None:
        """Hand one customer's kept messages to Rasa in arrival order; a message leaves the
        inbox once handled, or is parked after ``TURN_RETRY`` failed tries."""
        try:
            while True:
                self._draining[sender] = False  # set again by a message kept while the inbox is read
                batch = await self.state.inbox(sender, limit=20)
                if not batch and not self._draining[sender]:
                    return
                for queued in batch:
                    await self._handle(queued, on_new_message)
        except Exception:  # the state store failed: what is left resumes at the next message or start
            logger.exception("whatsapp: reading the inbox of %s failed", sender)
        finally:
            self._draining.pop(sender, None)

    async def _handle(self, queued: Queued, on_new_message) -> None:
        try:
            await self._try(queued, on_new_message)
        finally:
            if not queued.flood:
                self._waiting[queued.sender] -= 1
                if self._waiting[queued.sender] <= 0:
                    self._waiting.pop(queued.sender, None)

    async def _try(self, queued: Queued, on_new_message) -> None:
        attempt = queued.attempts
        while True:
            try:
                if queued.flood:
                    await self._slow_down(queued.sender)
                elif not (attempt or queued.key in self._resumed) or not await self._in_tracker(queued):
                    await self._process(InboundMessage(**json.loads(queued.body)), queued.sender, on_new_message)
                await self.state.handled(queued.key)
                return
            except Exception as exc:
                attempt += 1
                parked = TURN_RETRY.gives_up(attempt)
                logger.exception("whatsapp: turn for %s failed (try %d)%s", queued.wamid, attempt,
                                 ", parked" if parked else "")
                await self.state.failed(queued.key, f"{type(exc).__name__}: {exc}" if parked else None)
                if parked:
                    return
                await asyncio.sleep(TURN_RETRY.delay(attempt))

    async def _in_tracker(self, queued: Queued) -> bool:
        """True when Rasa already keeps this message (handled before a crash or an error that came
        after the tracker was saved): handing it over again would answer it twice."""
        if self._agent is None or self._agent.tracker_store is None:
            return False
        store = self._agent.tracker_store
        tracker = await getattr(store, "retrieve_full_tracker", store.retrieve)(queued.sender)
        return tracker is not None and any(
            getattr(event, "message_id", None) == queued.wamid for event in tracker.events)

    async def _slow_down(self, sender: str) -> None:
        """One polite message per rate window, whatever the size of the flood."""
        now = time.monotonic()
        if now - self._slowed.get(sender, -1e9) < self.settings.rate_window_s:
            return
        self._slowed[sender] = now
        await self.client.send(outgoing.text_payload(wa_id_for(sender), SLOW_DOWN))

    async def _process(self, message: InboundMessage, sender: str, on_new_message) -> None:
        if message.is_silent:
            return
        text, metadata = await self.to_rasa(message, sender)
        await on_new_message(
            UserMessage(
                text,
                self.get_output_channel(),
                sender,
                input_channel=self.name(),
                message_id=message.wamid,
                metadata=metadata,
            )
        )

    async def to_rasa(self, message: InboundMessage, sender: str) -> tuple[str, dict]:
        """The text Rasa sees for a message, and what it carries as metadata."""
        metadata: dict[str, Any] = {"wamid": message.wamid, "type": message.type}
        for key in ("profile_name", "referral", "location", "media", "order", "contacts", "context"):
            value = getattr(message, key)
            if value:
                metadata[key] = value
        if message.payload:
            # Our button ids are "/intent{...}" payloads, so a tap works hours later
            # without any dialogue context; anything else is read as its title.
            metadata["button_title"] = message.title
            if message.payload.startswith("/"):
                return message.payload, metadata
            return message.title or message.payload, metadata
        if message.type == "text":
            return await self._text_for_rasa(message.text or "", sender, metadata), metadata
        if message.type == "location":
            return "/share_location", metadata
        if message.type == "order":
            return "/catalog_order", metadata
        if message.media and message.media["type"] in KEPT_MEDIA:
            if message.text:
                metadata["caption"] = message.text
            return "/send_media", metadata
        return "/unsupported_message", metadata

    async def _text_for_rasa(self, text: str, sender: str, metadata: dict) -> str:
        """A bare number answers the last numbered menu; other text makes that menu stale."""
        text = text.strip()
        number = _BARE_NUMBER.match(text)
        if number:
            choice = await self.state.menu_choice(sender, int(number.group(1)))
            if choice:
                metadata["menu_choice"] = int(number.group(1))
                return choice
        else:
            await self.state.clear_menu(sender)
        # Customers may not trigger intents directly by typing "/intent".
        return text.lstrip("/") or " "
