"""WhatsApp Cloud API channel for Rasa: ``/webhooks/whatsapp/webhook``.

Enable it in ``credentials.yml`` as ``bot.channel.WhatsAppInput``. The POST handler
verifies the signature over the raw body, dedupes on ``wamid``, acknowledges at once and
processes in the background, one queue per customer so their messages stay in order.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot import outgoing
from bot.graph_client import GraphClient, SendResult
from bot.hooks import LifecycleHooks
from bot.settings import ChannelSettings
from bot.signing import SIGNATURE_HEADER, signature_is_valid, token_matches
from bot.state import open_state
from bot.updates import InboundMessage, MarketingPreference, StatusUpdate, parse_webhook

logger = logging.getLogger(__name__)

LIST_LABEL = "Options dekhein"
NUMBERED_FOOTER = "Jawab mein number bhejein (maslan 1) / Reply with a number."
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")


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
        label = kwargs.get("list_label") or LIST_LABEL
        for payload in outgoing.payloads_for_buttons(to, text, buttons, label, NUMBERED_FOOTER):
            await self._send(payload)
        if len(buttons) > outgoing.MAX_LIST_ROWS:
            await self.state.save_menu(recipient_id, [b.get("payload") or b.get("title") for b in buttons])

    async def send_quick_replies(self, recipient_id: str, text: str, quick_replies: list, **kwargs) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(outgoing.image_payload(wa_id_for(recipient_id), image))

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        """``json_message`` is a Graph API message body without ``to`` (template, image, …)."""
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
        self.hooks = LifecycleHooks(settings.hooks_url, settings.internal_secret)
        self._queues: dict[str, asyncio.Queue] = {}
        self._background: set[asyncio.Task] = set()

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
            except ValueError as exc:
                return response.json({"error": f"body is not JSON: {exc}"}, status=400)
            parsed = parse_webhook(body)
            for problem in parsed.problems:
                # Signed by Meta but unreadable: answering non-200 would make Meta retry the
                # same body for days, so it is logged and acknowledged.
                logger.error("whatsapp webhook: skipped unreadable update: %s", problem)
            accepted = 0
            for update in parsed.updates:
                accepted += await self._accept(update, on_new_message)
            return response.json({"status": "ok", "accepted": accepted, "problems": parsed.problems})

        return bp

    async def _accept(self, update, on_new_message) -> int:
        if isinstance(update, StatusUpdate):
            self._spawn(self.hooks.on_status(update))
            return 1
        if isinstance(update, MarketingPreference):
            self._spawn(self.hooks.on_marketing_preference(update))
            return 1
        if not isinstance(update, InboundMessage):
            logger.info("whatsapp webhook: %s update logged only", getattr(update, "field", "?"))
            return 0
        if not await self.state.first_sighting(update.wamid):
            logger.info("whatsapp webhook: duplicate delivery of %s ignored", update.wamid)
            return 0
        self._spawn(self.hooks.on_inbound(update))
        if update.is_silent:
            return 1
        sender = sender_id_for(update.sender)
        queue = self._queues.get(sender)
        if queue is None:
            queue = self._queues[sender] = asyncio.Queue()
            self._spawn(self._drain(sender, queue, on_new_message))
        queue.put_nowait(update)
        return 1

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _drain(self, sender: str, queue: asyncio.Queue, on_new_message) -> None:
        """Process one customer's messages in arrival order; exit when the queue is empty."""
        try:
            while not queue.empty():
                message = queue.get_nowait()
                try:
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
                except Exception:  # one bad message must not stop the customer's queue
                    logger.exception("whatsapp: failed to handle %s from %s", message.wamid, sender)
        finally:
            self._queues.pop(sender, None)

    async def to_rasa(self, message: InboundMessage, sender: str) -> tuple[str, dict]:
        """The text Rasa sees for a message, and what it carries as metadata."""
        metadata: dict[str, Any] = {"wamid": message.wamid, "type": message.type}
        for key in ("profile_name", "referral", "location", "media", "order", "context"):
            value = getattr(message, key)
            if value:
                metadata[key] = value
        if message.payload:
            metadata["button_title"] = message.title
            if message.payload.startswith("/"):
                return message.payload, metadata
            return message.title or message.payload, metadata
        if message.type == "text":
            text = (message.text or "").strip()
            number = _BARE_NUMBER.match(text)
            if number:
                choice = await self.state.menu_choice(sender, int(number.group(1)))
                if choice:
                    return choice, metadata
            # Customers may not trigger intents directly by typing "/intent".
            return text.lstrip("/") or " ", metadata
        if message.type == "location":
            return "/share_location", metadata
        if message.type == "order":
            return "/catalog_order", metadata
        if message.media:
            return "/send_media", metadata
        return "/unsupported_message", metadata
