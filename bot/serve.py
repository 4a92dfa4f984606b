"""``python -m bot.serve [rasa run options]``: ``rasa run`` with the HTTP API behind
RASA_AUTH_TOKEN as a JWT secret, read from the environment here so that the secret is on no
command line (``ps`` shows argv) and callers send it as a header, never as ``?token=``."""
from __future__ import annotations

import os
import sys


def main() -> None:
    secret = os.environ.get("RASA_AUTH_TOKEN", "")
    if not secret:
        raise SystemExit("RASA_AUTH_TOKEN is not set (see .env.example)")
    from rasa.__main__ import main as rasa_main

    # argv is rewritten inside this process only; /proc/<pid>/cmdline keeps what was typed
    sys.argv = ["rasa", "run", *sys.argv[1:], "--enable-api", "--jwt-secret", secret, "--jwt-method", "HS256"]
    rasa_main()


if __name__ == "__main__":
    main()
