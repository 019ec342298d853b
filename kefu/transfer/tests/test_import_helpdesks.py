"""Importing a Zendesk export and a Zoho Desk migration file set (sample files written from their
documented layouts): accounts, contacts, tickets with their conversation, statuses, and the bad rows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kefu.contacts.models import Contact
from kefu.core.actors import Actor, Source
from kefu.core.models import OutboxEvent
from kefu.tickets.models import Comment, Ticket
from kefu.transfer.models import ImportRowError
from kefu.transfer.services import import_job_create, import_run

SAMPLES = Path(__file__).parent / "samples"


def conversation(ticket: Ticket) -> list[tuple[str, str, str]]:
    threads = [(t.created_at, t.direction, t.body_text) for t in ticket.threads.all()]
    comments = [(c.created_at, "note", c.body_text) for c in Comment.objects.filter(ticket=ticket)]
    return [
        (kind, body, at.astimezone(dt.UTC).strftime("%m-%d %H:%M"))
        for at, kind, body in sorted(threads + comments)
    ]


@pytest.mark.django_db
def test_zendesk_export(department, agent, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "zendesk"), "zip", SAMPLES / "zendesk")
    job = import_job_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        kind="zendesk",
        path=archive,
        mapping={"department": "after-sales"},
    )
    job = import_run(job.pk)
    assert (job.status, job.imported, job.skipped, job.errors) == ("done", 5, 0, 1)
    assert list(ImportRowError.objects.filter(job=job).values_list("row", "field", "message")) == [
        (3, "subject", "This field is required.")
    ]
    wang = Contact.objects.get(email="wang.fang@example.cn")
    assert (wang.name, wang.account.name) == ("王芳", "上海明远科技有限公司")
    printer = Ticket.objects.get(subject="打印机无法连接网络")
    assert (printer.status.name_en, printer.priority.name_en, printer.department_id) == (
        "Closed",
        "High",
        department.pk,
    )
    assert printer.assignee_id == agent.user_id
    assert printer.created_at == dt.datetime(2024, 3, 1, 2, 0, tzinfo=dt.UTC)
    assert sorted(printer.tags.values_list("name", flat=True)) == ["printer", "wifi"]
    assert conversation(printer) == [
        ("in", "按照说明书操作后仍然连不上。", "03-01 02:00"),
        ("out", "请重启路由器后再试一次。", "03-01 03:00"),
        ("note", "客户的型号是 LaserJet 1020。", "03-01 03:05"),
        ("in", "好了，谢谢！", "03-02 01:00"),
    ]
    reply = printer.threads.get(direction="out")
    assert reply.author_user_id == agent.user_id
    invoice = Ticket.objects.get(subject="发票抬头开错了")
    assert (invoice.status.name_en, invoice.department_id, invoice.contact.email) == (
        "In progress",
        department.pk,
        "chen.jing@example.cn",
    )
    assert not OutboxEvent.objects.exists()  # nothing announced: no mail for history
    again = import_run(
        import_job_create(
            actor=Actor.system(),
            source=Source.IMPORT,
            kind="zendesk",
            path=archive,
            mapping={"department": "after-sales"},
        ).pk
    )
    assert (again.imported, again.skipped, again.errors) == (0, 5, 1)
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_zoho_desk_files(department, agent):
    job = import_job_create(
        actor=Actor.system(), source=Source.IMPORT, kind="zoho", path=SAMPLES / "zoho", mapping={}, copy=False
    )
    job = import_run(job.pk)
    assert (job.status, job.imported, job.skipped, job.errors) == ("done", 4, 0, 2)
    assert list(ImportRowError.objects.filter(job=job).values_list("row", "field", "message")) == [
        (3, "department", "This field is required."),
        (4, "contact_email", "Give the contact's email address or name."),
    ]
    zhao = Contact.objects.get(email="zhao.min@example.cn")
    assert (zhao.name, zhao.mobile, zhao.account.name) == ("赵 敏", "13800000000", "北京新科有限公司")
    refund = Ticket.objects.get(subject="退款未到账")
    assert (refund.status.name_en, refund.priority.name_en, refund.category, refund.channel) == (
        "Closed",
        "High",
        "退款",
        "email",
    )
    assert refund.assignee_id == agent.user_id
    assert conversation(refund) == [
        ("in", "退款申请已经一周了。", "04-01 01:00"),
        ("in", "请问什么时候到账？", "04-01 03:00"),
        ("note", "财务已确认退款。", "04-01 04:00"),
        ("out", "已为您重新提交退款。", "04-01 05:00"),
    ]
