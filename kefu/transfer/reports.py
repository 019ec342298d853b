"""The error report of an import as CSV text, streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kefu.transfer.models import ImportJob
from kefu.transfer.selectors import error_rows


def error_report_csv(job: ImportJob) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in [("row", "field", "error"), *error_rows(job)]:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
