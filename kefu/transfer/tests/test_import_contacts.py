"""Importing contacts and accounts: default mapping, dry run with a per-row error report, idempotency."""

from __future__ import annotations

import pytest

from kefu.contacts.models import Account, Contact
from kefu.core.actors import Actor, Source
from kefu.transfer.models import ImportJob, ImportRowError
from kefu.transfer.services import import_job_create, import_run

CSV = """external_id,name,email,phone,account,tags,language
c-1,王芳,wang.fang@example.cn,+86 21 5555 0101,上海明远科技有限公司,vip; 华东,zh-hans
c-2,李娜,not-an-address,,,,
c-3,陈静,chen.jing@example.cn,,,,klingon
c-4,,,,,,
c-5,刘洋,liu.yang@example.cn,,上海明远科技有限公司,,
"""


@pytest.fixture
def contacts_file(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _job(path, **kwargs) -> ImportJob:
    return import_job_create(actor=Actor.system(), source=Source.IMPORT, kind="contacts", path=path, **kwargs)


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(ImportRowError.objects.filter(job=job).values_list("row", "field", "message"))


@pytest.mark.django_db
def test_dry_run_reports_bad_rows_and_writes_nothing(contacts_file):
    job = import_run(_job(contacts_file, dry_run=True).pk)
    assert (job.status, job.total_rows, job.processed_rows) == ("done", 5, 5)
    assert (job.imported, job.skipped, job.errors) == (2, 0, 3)
    assert errors_of(job) == [
        (3, "email", "Enter a valid email address."),
        (4, "language", "Unsupported language."),
        (5, "name", "Enter a name or an email."),
    ]
    assert not Contact.objects.exists()
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_import_then_again_is_idempotent(contacts_file):
    job = import_run(_job(contacts_file).pk)
    assert (job.imported, job.skipped, job.errors) == (2, 0, 3)
    wang = Contact.objects.get(email="wang.fang@example.cn")
    assert (wang.name, wang.phone, wang.account.name) == ("王芳", "+86 21 5555 0101", "上海明远科技有限公司")
    assert sorted(wang.tags.values_list("name", flat=True)) == ["vip", "华东"]
    assert Contact.objects.get(email="liu.yang@example.cn").account_id == wang.account_id
    again = import_run(_job(contacts_file).pk)
    assert (again.imported, again.skipped, again.errors) == (0, 2, 3)
    assert Contact.objects.count() == 2
