"""``python -m appserver``: serve actions and the Sauda API on SAUDA_APP_PORT.

``python -m appserver users add NAME --role owner|merchant|agent | passwd NAME | role NAME ROLE
| remove NAME | list`` manages the logins of the merchant and agent pages. A password is read
from the terminal (twice), or from the first line of standard input when that is not a terminal.
"""
from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import datetime, timezone

from appserver.settings import AppSettings
from lifecycle.config.environment import SettingsError
from lifecycle.db.account_models import ROLES
from lifecycle.db.engine import default_database
from lifecycle.domain import accounts
from whatsapp import redact


def serve() -> None:
    from appserver.app import build_app  # rasa-sdk and the catalog load only to serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = AppSettings.from_env()
        app = build_app(settings)  # reads the lifecycle's settings once (service.Lifecycle.from_env)
    except SettingsError as exc:
        raise SystemExit(f"not started: {exc}") from None
    redact.install()  # after Sanic set up its own log handlers
    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("new password: ")
    if first != getpass.getpass("again: "):
        raise accounts.AccountError("the two passwords differ")
    return first


def users(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m appserver users")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="a new login")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    commands.add_parser("passwd", help="a new password; ends the user's sessions").add_argument("name")
    role = commands.add_parser("role", help="change a user's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    commands.add_parser("remove", help="delete a login and its sessions").add_argument("name")
    commands.add_parser("list", help="names and roles")
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc)
    try:
        with default_database().session.begin() as session:
            if args.command == "add":
                accounts.add_user(session, args.name, args.role, _read_password(), now)
            elif args.command == "passwd":
                accounts.set_password(session, args.name, _read_password(), now)
            elif args.command == "role":
                accounts.set_role(session, args.name, args.role)
            elif args.command == "remove":
                accounts.remove_user(session, args.name)
            else:
                for user in accounts.list_users(session):
                    print(f"{user.name}\t{user.role}\tpassword set {user.password_changed_at:%Y-%m-%d %H:%M} UTC")
                return 0
    except accounts.AccountError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(f"{args.command}: {args.name} done")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["users"]:
        return users(argv[1:])
    if argv:
        print("usage: python -m appserver [users ...]", file=sys.stderr)
        return 2
    serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
