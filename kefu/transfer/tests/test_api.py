"""The imports and exports API: a job with progress, the error report, permissions, export visibility."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from kefu.contacts.models import Contact
from kefu.transfer.models import ExportJob, ImportJob
from tests.helpers import error_of

CSV = "姓名,邮箱\n王芳,wang.fang@example.cn\n李娜,bad-address\n"


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def upload(client, content: str = CSV, name: str = "contacts.csv", **fields):
    return client.post(
        "/api/v1/imports",
        {"file": io.BytesIO(content.encode("utf-8")), "kind": "contacts", **fields},
        format="multipart",
    )


def test_an_import_job_runs_and_reports(admin_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_api, mapping=json.dumps({"姓名": "name", "邮箱": "email"}))
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    body = admin_api.get(f"/api/v1/imports/{job_id}").json()
    assert {
        k: body[k]
        for k in (
            "kind",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "imported",
            "skipped",
            "errors",
        )
    } == {
        "kind": "contacts",
        "status": "done",
        "total_rows": 2,
        "processed_rows": 2,
        "percent": 100,
        "imported": 1,
        "skipped": 0,
        "errors": 1,
    }
    assert body["mapping"] == {"姓名": "name", "邮箱": "email"}
    report = b"".join(admin_api.get(body["error_report_url"]).streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report))) == [
        ["row", "field", "error"],
        ["3", "email", "Enter a valid email address."],
    ]
    assert list(Contact.objects.values_list("name", flat=True)) == ["王芳"]


def test_a_bad_mapping_names_the_column(admin_api):
    error = error_of(upload(admin_api, mapping=json.dumps({"姓名": "nickname", "电话": "phone"})), 422)
    assert error["fields"] == {
        "mapping.姓名": "Unknown target: nickname.",
        "mapping.电话": "The file has no such column.",
    }
    error = error_of(upload(admin_api, kind="planets"), 422)
    assert error["fields"] == {
        "kind": "Choose one of: contacts, accounts, tickets, articles, records, zendesk, zoho."
    }
    assert not ImportJob.objects.exists()


def test_only_administrators_import(api, api_client_for):
    assert error_of(upload(api), 403)["code"] == "permission_denied"
    assert error_of(upload(api_client_for(None)), 401)["code"] == "unauthenticated"
    assert not ImportJob.objects.exists()


def test_export_lists_only_visible_tickets(
    api, agent, create_ticket, other_department, django_capture_on_commit_callbacks
):
    create_ticket(subject="我的部门的工单")
    create_ticket(subject="别的部门的工单", department_id=other_department.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post_json("/api/v1/exports", {"kind": "tickets", "format": "xlsx"})
    assert response.status_code == 202, response.content
    body = api.get(f"/api/v1/exports/{response.json()['id']}").json()
    assert (body["status"], body["total_rows"], body["percent"]) == ("done", 1, 100)
    download = api.get(body["download_url"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("external_id", "subject", "description")
    assert [row[1] for row in rows[1:] if row[1]] == ["我的部门的工单"]


def test_exports_are_their_requesters_own(api, api_client_for, other_agent, light_agent):
    job_id = api.post_json("/api/v1/exports", {"kind": "tickets"}).json()["id"]
    assert error_of(api_client_for(other_agent).get(f"/api/v1/exports/{job_id}"), 404)["code"] == "not_found"
    error = error_of(api_client_for(light_agent).post_json("/api/v1/exports", {"kind": "contacts"}), 403)
    assert error["code"] == "permission_denied"
    error = error_of(api.post_json("/api/v1/exports", {"kind": "planets", "format": "pdf"}), 422)
    assert set(error["fields"]) == {"kind", "format"}
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db
def test_kefu_export_archive(create_ticket, tmp_path):
    from kefu.transfer.services import export_archive

    create_ticket(subject="打印机无法连接网络")
    counts = export_archive(tmp_path / "all.zip")
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        tickets = archive.read("tickets.csv").decode("utf-8-sig")
    assert {"manifest.json", "modules.json", "contacts.csv", "accounts.csv", "tickets.csv"} <= names
    assert manifest["format"] == "kefu-export"
    assert counts["tickets.csv"] == 2  # the ticket and its first message
    assert "打印机无法连接网络" in tickets
