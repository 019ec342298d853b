"""Resuming after a crash: a real ``kefu import`` process killed with SIGKILL in the middle of a batch,
then the same command again, ends with every row imported exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kefu.contacts.models import Contact
from kefu.transfer.models import ExternalKey, ImportJob

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEFU = Path(sys.executable).with_name("kefu")
ROWS = 600


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "KEFU_DATA_DIR": str(settings.DATA_DIR),
        "KEFU_LOG_LEVEL": "WARNING",
        **extra,
    }


def test_a_killed_import_resumes_and_imports_each_row_once(tmp_path):
    path = tmp_path / "contacts.csv"
    lines = ["external_id,name,email"] + [f"c-{n},客户{n},customer{n}@example.cn" for n in range(1, ROWS + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker = tmp_path / "paused"

    child = subprocess.Popen(
        [str(KEFU), "import", "contacts", str(path)],
        env=_env(KEFU_TEST_IMPORT_PAUSE_AT="450", KEFU_TEST_IMPORT_PAUSE_MARKER=str(marker)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pid, status = os.waitpid(child.pid, os.WUNTRACED)  # returns once the child stopped (or died)
    assert os.WIFSTOPPED(status), f"the import ended before the pause point (status {status})"
    assert marker.read_text() == "450"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    # Two batches of 200 committed; the third died with its transaction.
    job = ImportJob.objects.get()
    assert (job.status, job.processed_rows, job.imported) == ("running", 400, 400)
    assert Contact.objects.count() == 400

    resumed = subprocess.run(
        [str(KEFU), "import", "contacts", str(path)], env=_env(), capture_output=True, text=True, check=True
    )
    assert resumed.stdout.splitlines()[-1] == "imported 600, skipped 0, errors 0"  # the job's totals
    assert f"resuming import #{job.pk} after row 400" in resumed.stderr
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.imported, job.skipped, job.errors) == ("done", 600, 600, 0, 0)
    assert Contact.objects.count() == ROWS
    assert len(set(Contact.objects.values_list("email", flat=True))) == ROWS
    assert ExternalKey.objects.filter(kind="contact").count() == ROWS

    again = subprocess.run(
        [str(KEFU), "import", "contacts", str(path)], env=_env(), capture_output=True, text=True, check=True
    )
    assert again.stdout.splitlines()[-1] == "imported 0, skipped 600, errors 0"
    assert Contact.objects.count() == ROWS
