"""``python -m appserver``: serve actions and the Sauda API on SAUDA_APP_PORT."""
from __future__ import annotations

import logging
import os

from appserver.app import build_app
from appserver.settings import AppSettings
from lifecycle.config import touchpoint_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = AppSettings.from_env()
    touchpoint_settings.export_saved(settings.data_dir, os.environ)  # the settings page's, over the defaults
    app = build_app(settings)
    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
