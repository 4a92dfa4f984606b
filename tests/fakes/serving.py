"""Serve a Sanic app on a free local port inside the test's event loop (real HTTP, no subprocess)."""

from __future__ import annotations

import itertools
import socket
from contextlib import asynccontextmanager
from typing import AsyncIterator

from sanic import Sanic

_serial = itertools.count()


def new_app(name: str) -> Sanic:
    """A Sanic app that can share a process with others: a unique name, and no touchup (it runs once)."""
    app = Sanic(f"{name}_{next(_serial)}", configure_logging=False)
    app.config.TOUCHUP = False
    return app


@asynccontextmanager
async def serve(app: Sanic) -> AsyncIterator[str]:
    """Yields the base URL while ``app`` listens on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
