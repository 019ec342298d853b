"""The JSON shapes of imports and exports."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ImportOut(Schema):
    id: int
    kind: str
    module: str
    file_name: str
    dry_run: bool
    status: str
    total_rows: int
    processed_rows: int
    percent: int
    imported: int
    skipped: int
    errors: int
    message: str
    mapping: dict[str, str]
    error_report_url: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class ExportIn(Schema):
    kind: str
    format: str = "csv"
    module: str = ""


class ExportOut(Schema):
    id: int
    kind: str
    module: str
    format: str
    status: str
    total_rows: int
    processed_rows: int
    percent: int
    download_url: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
