"""``python -m appserver users``: the command that manages logins, run as a merchant runs it."""

from __future__ import annotations

import subprocess
import sys

from lifecycle.domain import accounts

PASSWORD = "a-long-enough-password"


def test_the_users_command_adds_a_login_with_a_hashed_password(tmp_path):
    env = {"SAUDA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def users(*args: str, password: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "appserver", "users", *args],
            input=password + "\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert users("add", "sara", "--role", "owner", password=PASSWORD).returncode == 0
    refused = users("add", "bilal", "--role", "agent", password=accounts.EXAMPLE_PASSWORDS[0])
    assert refused.returncode == 2 and "published" in refused.stderr
    assert "sara\towner" in users("list").stdout
    raw = (tmp_path / "lifecycle.db").read_bytes()
    assert PASSWORD.encode() not in raw and b"$argon2id$" in raw
