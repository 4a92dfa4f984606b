"""Every conversation of the design (tests/stories/) passes `rasa test core
--fail-on-prediction-errors` on the current model: NLU of each user line and the next
action, including digressions."""

from __future__ import annotations

import os
import subprocess

from tests.stack import RASA_BIN, ROOT

STORIES = ROOT / "tests" / "stories"


def test_conversation_stories_pass(model, tmp_path):
    out = tmp_path / "results"
    # Actions are not executed by `rasa test core` (it replays the story events), so no
    # action server is needed; an empty endpoints file keeps it from reading the real one,
    # whose variables are only set by the run scripts.
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("{}\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    proc = subprocess.run(
        [
            str(RASA_BIN),
            "test",
            "core",
            "--model",
            model,
            "--stories",
            str(STORIES),
            "--endpoints",
            str(endpoints),
            "--fail-on-prediction-errors",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert proc.returncode == 0, (
        f"rasa test core failed (exit {proc.returncode})\n{details}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    assert "# None of the test stories failed" in details or not details.strip(), details
