"""The one Rasa client of a process (lifecycle/integrations/rasa.py) against a stand-in of Rasa's
HTTP API on a local port: what the worker and the console send, over one pooled connection, and
proactive messages kept for a retry while Rasa answers 5xx."""
from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lifecycle.integrations.rasa import RasaClient


class RasaStandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Rasa's server
    seen: list[tuple[str, str, object, int]] = []  # method, path, body, client port
    failing = False

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.seen.append(("GET", self.path, None, self.client_address[1]))
        self._answer(200, {"events": [{"event": "user", "text": "salam", "timestamp": 1_700_000_000},
                                      {"event": "bot", "text": "ji", "metadata": {"agent": "sana"}}]})

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(("POST", self.path, body, self.client_address[1]))
        self._answer(503 if self.failing else 200, {})

    def log_message(self, *_args):
        pass


def _rasa() -> tuple[ThreadingHTTPServer, str]:
    RasaStandIn.seen, RasaStandIn.failing = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), RasaStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_the_worker_and_the_console_share_one_pooled_connection():
    server, url = _rasa()
    client = RasaClient(url, token="secret")

    async def use() -> tuple:
        waiting = await client.record([("923001", "Order confirm karein?", [], {"ask": "confirm_order"})])
        conversation = await client.transcript("923001")
        paused = await client.set_paused("923001", False)
        recorded = await client.record_agent_message("923001", "sana", "Main dekh rahi hoon")
        await client.close()
        return waiting, conversation, paused, recorded

    try:
        waiting, conversation, paused, recorded = asyncio.run(use())
    finally:
        server.shutdown()
    assert (waiting, paused, recorded) == (0, True, True)
    assert [line["who"] for line in conversation] == ["customer", "agent"]
    assert [(method, path) for method, path, _, _ in RasaStandIn.seen] == [
        ("POST", "/conversations/923001/tracker/events"),
        ("GET", "/conversations/923001/tracker"),
        ("POST", "/conversations/923001/tracker/events"),
        ("POST", "/conversations/923001/tracker/events"),
    ]
    proactive = RasaStandIn.seen[0][2]
    assert proactive[1] == {"event": "slot", "name": "pending_question", "value": "confirm_order"}
    assert len({port for *_, port in RasaStandIn.seen}) == 1  # one connection for all four


def test_proactive_messages_wait_while_rasa_answers_5xx_and_go_once_it_is_back():
    server, url = _rasa()
    client = RasaClient(url, token="")
    first, second = ("923001", "one", [], {}), ("923002", "two", [], {})

    async def use() -> tuple[int, int]:
        RasaStandIn.failing = True
        waiting = await client.record([first, second])
        RasaStandIn.failing = False
        after = await client.record([])
        await client.close()
        return waiting, after

    try:
        waiting, after = asyncio.run(use())
    finally:
        server.shutdown()
    assert (waiting, after) == (2, 0)
    delivered = [body[0]["text"] for method, _, body, _ in RasaStandIn.seen[2:]]
    assert sorted(delivered) == ["one", "two"]


def test_without_a_rasa_url_nothing_is_sent_and_nothing_waits():
    client = RasaClient("", token="")
    assert asyncio.run(client.record([("923001", "x", [], {})])) == 0
    assert asyncio.run(client.transcript("923001")) is None
    assert asyncio.run(client.set_paused("923001", True))  # no bot to pause
