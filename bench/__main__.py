"""Run the benchmarks: ``python -m bench [name ...]``.

Each ``bench/bench_<name>.py`` defines ``run() -> list[Table]``. Tables are printed and
written to bench/out/<name>.md so the README can quote the latest figures.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.table import Table

OUT = Path(__file__).resolve().parent / "out"


def main(names: list[str]) -> int:
    available = sorted(
        m.name[len("bench_") :]
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {available}")
        return 2
    OUT.mkdir(exist_ok=True)
    for name in names or available:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.bench_{name}")
        tables: list[Table] = module.run()
        text = "\n\n".join(t.markdown() for t in tables)
        print(f"\n## {name} ({time.perf_counter() - started:.0f} s)\n\n{text}")
        (OUT / f"{name}.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
