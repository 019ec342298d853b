"""Settings → Ticket numbers: an administrator types a format, watches the preview follow (and say why a
format cannot be used), saves it, and the next ticket carries the new number."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.core.actors import Actor, Source
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import TicketNumberFormat
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "nav": "工单编号",
        "format": "工单编号格式",
        "save": "保存",
        "saved": "工单编号格式已保存。",
        "unique": "请包含 {SEQ} 或 {SEQ:n}，或同时包含 {DEPTSEQ} 与 {DEPT}，以保证编号唯一。",
    },
    "en": {
        "nav": "Ticket numbers",
        "format": "Ticket number format",
        "save": "Save",
        "saved": "The ticket number format was saved.",
        "unique": "Include {SEQ} or {SEQ:n}, or {DEPTSEQ} together with {DEPT}, so numbers are unique.",
    },
}


def test_an_administrator_sets_a_ticket_number_format_with_a_live_preview(
    context, page, desk, live_server, lang
):
    words = TEXTS[lang]
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/general/")
    page.get_by_role("link", name=words["nav"], exact=True).click()
    # A click waits only for the navigation to commit; the preview is wired once htmx has loaded.
    page.wait_for_url("**/settings/ticket-number/")
    preview = page.get_by_test_id("ticket-number-preview")
    expect(preview).to_have_text("6")  # five tickets in the desk: the next is 6

    field = page.get_by_label(words["format"], exact=True)
    field.fill("{DEPT}-{YYYY}")
    expect(preview).to_have_text(words["unique"])
    field.fill("{DEPT}-{DEPTSEQ:4}")
    expect(preview).to_have_text("AS-0001")
    field.fill("KF-{SEQ:5}")
    expect(preview).to_have_text("KF-00006")

    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    assert TicketNumberFormat.objects.get(pk=1).format == "KF-{SEQ:5}"
    ticket = ticket_create(
        actor=Actor.system(),
        source=Source.IMPORT,
        data=TicketCreateInput(
            subject="新格式的工单",
            description="编号应为 KF-00006",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=desk.contact.pk),
        ),
    )
    assert ticket.display_number == "KF-00006"
    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.get_by_test_id("ticket-number")).to_have_text("#KF-00006")
