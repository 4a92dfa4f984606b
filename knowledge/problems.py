"""Import problems, each pinned to a file, row and column, and the checks on raw bytes."""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

MAX_IMPORT_BYTES = 100 * 1000 * 1000  # a 100 MB export is refused rather than half-read

ERROR = "error"  # the import is refused
WARNING = "warning"  # imported, but the merchant should know


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # spreadsheet row (header = 1) or product number in JSON
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column,
                "message": self.message, "severity": self.severity}


class ImportRefused(Exception):
    """Raised with every problem found when an import cannot go ahead."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_file(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> bytes:
    """The file's bytes, refusing (before reading) anything larger than ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused([Problem(path.name, None, None,
                                     f"file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB. "
                                     "Split the catalog or remove unused columns.")])
    return path.read_bytes()


def decode(data: bytes, name: str, max_bytes: int = MAX_IMPORT_BYTES) -> tuple[str, list[Problem]]:
    """UTF-8 text of an upload, with a warning for a byte-order mark; refuses empty,
    over-size and non-UTF-8 files, naming the row of the first bad byte."""
    if len(data) > max_bytes:
        raise ImportRefused([Problem(name, None, None, f"file is {len(data) / 1e6:.1f} MB; the limit is "
                                                       f"{max_bytes / 1e6:.0f} MB")])
    warnings = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        warnings.append(Problem(name, 1, None, "file starts with a byte-order mark (BOM); ignored it", WARNING))
    if not data.strip():
        raise ImportRefused([Problem(name, None, None, "file is empty")])
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise ImportRefused([Problem(name, row, None,
                                     f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                     "save the file as 'CSV UTF-8' and upload again")]) from None
