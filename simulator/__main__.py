"""``python -m simulator``: the WhatsApp simulator on SIM_PORT."""

from __future__ import annotations

import logging

from simulator.server import build_app
from simulator.settings import SimulatorSettings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = SimulatorSettings.from_env()
    build_app(settings).run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
