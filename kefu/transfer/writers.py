"""Writing rows to CSV (UTF-8 with a byte-order mark, which Excel needs for Chinese) or XLSX (openpyxl's
write-only mode, which streams rows to disk): both in constant memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

XLSX_MAX_CELL = 32_767


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_table(path: Path, fmt: str, header: list[str], rows: Iterable[list[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``path``; return how many rows were written."""
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(_text(value)) for value in row])
            count += 1
        workbook.save(path)
        return count
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_text(value) for value in row])
            count += 1
    return count


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        # openpyxl refuses control characters; a cell holds at most 32,767 characters.
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)[:XLSX_MAX_CELL]
    return value
