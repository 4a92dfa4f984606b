"""`rasa data validate`, failing on any warning not justified in data/validation-allowlist.txt.

Each allowlist line is a substring of a warning, then `#` and why it is fine.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "data" / "validation-allowlist.txt"


def allowed_patterns() -> list[str]:
    patterns = []
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        pattern = line.split("#", 1)[0].strip()
        if pattern:
            patterns.append(pattern)
    return patterns


def main() -> int:
    proc = subprocess.run(
        [str(ROOT / ".venv/rasa/bin/rasa"), "data", "validate", "--domain", "domain"],
        cwd=ROOT, capture_output=True, text=True,
    )
    output = proc.stdout + proc.stderr
    warnings = sorted(set(re.findall(r"UserWarning: (.+)", output)))
    allowed = allowed_patterns()
    unjustified = [w for w in warnings if not any(p in w for p in allowed)]
    for w in warnings:
        print(("  allowed: " if w not in unjustified else "  WARNING: ") + w)
    if proc.returncode != 0:
        print(output[-3000:])
        print(f"rasa data validate failed (exit {proc.returncode})")
        return 1
    if unjustified:
        print(f"{len(unjustified)} warning(s) not justified in {ALLOWLIST.relative_to(ROOT)}")
        return 1
    print(f"rasa data validate: clean ({len(warnings)} justified warning(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
