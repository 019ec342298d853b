""" "Number" means a ticket's number (编号) in the list, the column picker and the contact page, and a kind
of custom field (数字) elsewhere: one English word, two Chinese words, kept apart by a context."""

from __future__ import annotations

import pytest
from django.utils import translation

from kefu.customfields.models import CustomField
from kefu.tickets.inputs import ContactRef
from kefu.tickets.listing import COLUMNS


def test_the_ticket_number_column_and_the_custom_field_type_have_their_own_chinese_words():
    with translation.override("zh-hans"):
        assert (str(COLUMNS["number"].label), str(CustomField.FieldType.NUMBER.label)) == ("编号", "数字")
    with translation.override("en"):
        assert (str(COLUMNS["number"].label), str(CustomField.FieldType.NUMBER.label)) == ("Number", "Number")


@pytest.mark.django_db
def test_list_column_picker_and_contact_page_say_ticket_number_in_chinese(client, agent, create_ticket):
    client.force_login(agent.user)
    client.cookies["django_language"] = "zh-hans"
    ticket = create_ticket(contact=ContactRef(email="wang.fang@example.cn", name="王芳"))
    contact = ticket.contact
    for path in ("/tickets/", "/tickets/views/new/", f"/contacts/{contact.pk}/"):
        page = client.get(path).content.decode()
        assert "编号" in page, path
        assert "整数" not in page, path


@pytest.mark.django_db
def test_the_priority_colour_picker_is_a_swatch_even_after_an_error(client, admin_agent):
    client.force_login(admin_agent.user)
    response = client.post("/settings/priorities/", {"name": "", "colour": "#ff0000", "order": 1})
    html = response.content.decode()
    assert 'type="color" name="colour" value="#ff0000" class="form-control form-control-color"' in html
