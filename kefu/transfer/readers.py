"""Reading tables from CSV and XLSX files: a header row, then one dict per row, in constant memory.

CSV is read as UTF-8 (with or without a byte-order mark) and, when that fails, as GB18030 (what Excel
in a Chinese locale writes). XLSX is read with openpyxl's read-only mode, one row at a time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Row = dict[str, str]


def table_format(path: str | Path) -> str:
    return "xlsx" if str(path).lower().endswith((".xlsx", ".xlsm")) else "csv"


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.decode(sample, encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # a character cut by the sample's end
                return encoding
            continue
        return encoding
    return "utf-8-sig"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(values: list[Any]) -> list[str]:
    names = [_cell(value) for value in values]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def read_header(path: str | Path) -> list[str]:
    header, rows = _open(Path(path))
    rows.close()
    return header


def _open(path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    if table_format(path) == "xlsx":
        return _xlsx(path)
    return _csv(path)


def _csv(path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        header = _header(next(csv.reader(handle), []))

    def rows() -> Iterator[tuple[int, Row]]:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for number, values in enumerate(reader, start=2):
                if not any(value.strip() for value in values):
                    continue
                yield (
                    number,
                    {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)},
                )

    return header, rows()


def _xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header = _header(list(next(iterator, ())))

    def rows() -> Iterator[tuple[int, Row]]:
        try:
            for number, values in enumerate(iterator, start=2):
                cells = [_cell(value) for value in values]
                if not any(cells):
                    continue
                yield number, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        finally:
            workbook.close()

    return header, rows()


def read_rows(path: str | Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    """``(header, iterator of (row number in the file, {column: text}))``; empty rows are left out."""
    return _open(Path(path))


def count_rows(path: str | Path) -> int:
    _header, rows = read_rows(path)
    return sum(1 for _row in rows)
