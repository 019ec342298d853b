"""Console pages of imports and exports: upload, mapping with a saved mapping, dry run, progress and the
error report; the export page; who may open them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.contacts.models import Contact
from kefu.transfer.models import ExportJob, ImportJob, SavedMapping

HTMX = {"HTTP_HX_REQUEST": "true"}
CSV = "姓名,邮箱,备注\n王芳,wang.fang@example.cn,老客户\n李娜,bad-address,\n"


@pytest.fixture
def admin(client, admin_agent):
    client.force_login(admin_agent.user)
    return client


def _upload(client):
    file = SimpleUploadedFile("客户.csv", CSV.encode("utf-8"), content_type="text/csv")
    return client.post("/transfer/imports/", {"kind": "contacts", "file": file})


def test_upload_map_dry_run_then_import(admin, django_capture_on_commit_callbacks):
    response = _upload(admin)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/transfer/imports/{job.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert 'data-testid="mapping-form"' in page
    assert job.mapping == {}  # Chinese column names are not target names: the administrator maps them
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/transfer/imports/{job.pk}/",
            {"col_0": "name", "col_1": "email", "col_2": "", "save_as": "客户表", "action": "dry_run"},
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.imported, job.errors) == ("done", True, 1, 1)
    assert SavedMapping.objects.get().mapping == {"姓名": "name", "邮箱": "email"}
    assert not Contact.objects.exists()
    progress = admin.get(f"/transfer/imports/{job.pk}/", **HTMX).content.decode()
    assert "2 of 2 rows: imported 1, skipped 0, errors 1" in progress
    assert "Enter a valid email address." in progress
    assert "<html" not in progress
    report = b"".join(admin.get(f"/transfer/imports/{job.pk}/errors.csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert report.splitlines() == ["row,field,error", "3,email,Enter a valid email address."]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/transfer/imports/{job.pk}/again/")
    real = ImportJob.objects.latest("pk")
    assert (real.dry_run, real.imported, real.errors) == (False, 1, 1)
    assert list(Contact.objects.values_list("name", flat=True)) == ["王芳"]


def test_saved_mapping_prefills_the_form(admin):
    SavedMapping.objects.create(name="客户表", kind="contacts", mapping={"姓名": "name", "邮箱": "email"})
    _upload(admin)
    job = ImportJob.objects.get()
    page = admin.get(
        f"/transfer/imports/{job.pk}/", {"mapping": SavedMapping.objects.get().pk}
    ).content.decode()
    assert '<option value="name" selected>' in page
    assert '<option value="email" selected>' in page


def test_imports_need_the_settings_permission(client, agent):
    client.force_login(agent.user)
    assert client.get("/transfer/imports/").status_code == 403
    assert _upload(client).status_code == 403
    assert not ImportJob.objects.exists()


def test_export_page_makes_a_file_to_download(
    client, agent, create_ticket, django_capture_on_commit_callbacks
):
    client.force_login(agent.user)
    create_ticket(subject="打印机无法连接网络")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/transfer/exports/", {"kind": "tickets", "format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    page = client.get("/transfer/exports/").content.decode()
    assert f"/transfer/exports/{job.pk}/download/" in page
    body = b"".join(client.get(f"/transfer/exports/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert "打印机无法连接网络" in body
