"""Background jobs under one supervisor: all stop together; a failing job is restarted, the rest go on."""

from __future__ import annotations

import asyncio

from lifecycle.engine.supervisor import Supervisor


def test_a_failing_job_is_restarted_while_the_others_go_on_and_stop_ends_them_all():
    rounds = {"steady": 0, "flaky": 0}

    async def steady(stop: asyncio.Event) -> None:
        while not stop.is_set():
            rounds["steady"] += 1
            await asyncio.sleep(0.01)

    async def flaky(stop: asyncio.Event) -> None:
        rounds["flaky"] += 1
        raise RuntimeError("courier API down")

    async def scenario() -> Supervisor:
        supervisor = Supervisor({"steady": steady, "flaky": flaky}, restart_after=0.02)
        supervisor.start()
        await asyncio.sleep(0.2)
        await supervisor.stop()
        return supervisor

    supervisor = asyncio.run(scenario())
    assert rounds["flaky"] >= 3 and supervisor.restarts["flaky"] == rounds["flaky"]  # started again each time
    assert rounds["steady"] > 5 and supervisor.restarts["steady"] == 0
