"""The values page of a pick list, and the ticket forms that show values per department with colours."""

from __future__ import annotations

import pytest

from kefu.core.models import AuditEntry
from kefu.customfields.models import PicklistOption

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin_client(client, admin_agent):
    client.force_login(admin_agent.user)
    return client


def options_url(field, suffix=""):
    return f"/settings/custom-fields/{field.pk}/options/{suffix}"


def test_the_values_page_lists_values_with_colours_and_departments(admin_client, sub_category, books):
    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    novel.colour = "#d63939"
    novel.save()
    page = admin_client.get(options_url(sub_category)).content.decode()
    assert f'data-option-id="{novel.pk}"' in page
    assert 'style="background-color: #d63939; color: #ffffff">小说</span>' in page
    assert "Drag 小说 to reorder" in page
    assert "vendor/sortablejs/Sortable.min.js" in page


def test_add_a_value_for_one_department_with_a_colour(admin_client, sub_category, books):
    response = admin_client.post(
        options_url(sub_category),
        {
            "value": "漫画",
            "label": "漫画",
            "label_en": "Comics",
            "colour": "#2fb344",
            "departments": [books.pk],
        },
    )
    assert response.status_code == 302
    option = PicklistOption.objects.get(field=sub_category, value="漫画")
    assert (option.label_en, option.colour, [d.pk for d in option.departments.all()]) == (
        "Comics",
        "#2fb344",
        [books.pk],
    )
    duplicate = admin_client.post(options_url(sub_category), {"value": "漫画"})
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors == {"value": ["Already in use."]}


def test_edit_retire_restore_and_reorder(admin_client, sub_category, electronics):
    phone = PicklistOption.objects.get(field=sub_category, value="手机")
    edited = admin_client.post(
        options_url(sub_category, f"{phone.pk}/"),
        {"label": "手机", "label_en": "Phones", "colour": "#066fd1", "departments": [electronics.pk]},
    )
    assert edited.status_code == 302
    phone.refresh_from_db()
    assert (phone.label_en, phone.colour) == ("Phones", "#066fd1")
    admin_client.post(options_url(sub_category, f"{phone.pk}/retire/"), {"retired": "1"})
    phone.refresh_from_db()
    assert phone.retired is True
    admin_client.post(options_url(sub_category, f"{phone.pk}/retire/"), {"retired": "0"})
    phone.refresh_from_db()
    assert phone.retired is False
    ids = list(
        PicklistOption.objects.filter(field=sub_category).order_by("order").values_list("id", flat=True)
    )
    answer = admin_client.post(options_url(sub_category, "order/"), {"option_ids": ids[::-1]})
    assert answer.status_code == 204
    assert (
        list(PicklistOption.objects.filter(field=sub_category).order_by("order").values_list("id", flat=True))
        == ids[::-1]
    )
    bad = admin_client.post(options_url(sub_category, "order/"), {"option_ids": ids[:1]})
    assert bad.status_code == 422
    assert AuditEntry.objects.filter(action="custom_field.options_reordered").count() == 1


def test_agents_cannot_open_the_values_page(client, agent, sub_category):
    client.force_login(agent.user)
    assert client.get(options_url(sub_category)).status_code == 403
    assert client.post(options_url(sub_category), {"value": "x"}).status_code == 403
    assert not PicklistOption.objects.filter(value="x").exists()


def test_a_text_field_has_no_values_page(admin_client):
    from kefu.customfields.tests.factories import CustomFieldFactory

    field = CustomFieldFactory(field_type="text")
    assert admin_client.get(options_url(field)).status_code == 404


def test_the_create_form_offers_each_department_its_own_values(
    client, books_agent, electronics_agent, sub_category, books, electronics
):
    client.force_login(books_agent.user)
    books_part = client.get(f"/tickets/new/?part=department&department={books.pk}", **HTMX).content.decode()
    assert '<option value="小说">小说</option>' in books_part
    assert "手机" not in books_part
    client.force_login(electronics_agent.user)
    part = client.get(f"/tickets/new/?part=department&department={electronics.pk}", **HTMX).content.decode()
    assert '<option value="手机">手机</option>' in part
    assert "小说" not in part


def test_the_ticket_page_shows_the_value_with_its_colour_and_keeps_a_retired_one(
    client, books_agent, books, sub_category, create_ticket
):
    from kefu.tickets.inputs import ContactRef

    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    novel.colour, novel.retired = "#f59f00", True
    novel.save()
    ticket = create_ticket(
        department_id=books.pk,
        contact=ContactRef(email="reader@example.cn"),
        custom_fields={},
    )
    ticket.custom_fields = {"sub_category": "小说"}
    ticket.save(update_fields=["custom_fields"])
    client.force_login(books_agent.user)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert '<option value="小说" selected data-colour="#f59f00">小说 (retired)</option>' in page
    assert 'style="background-color: #f59f00; color: #1d273b">小说' in page


def test_the_list_shows_the_value_as_a_coloured_column_and_filters_by_it(
    client, books_agent, books, sub_category, create_ticket
):
    from kefu.tickets.inputs import ContactRef

    novel = PicklistOption.objects.get(field=sub_category, value="小说")
    novel.colour = "#ae3ec9"
    novel.save()
    first = create_ticket(
        department_id=books.pk,
        contact=ContactRef(email="a@example.cn"),
        custom_fields={"sub_category": "小说"},
    )
    create_ticket(
        department_id=books.pk,
        contact=ContactRef(email="b@example.cn"),
        custom_fields={"sub_category": "教辅"},
    )
    client.force_login(books_agent.user)
    page = client.get("/tickets/", {"view": "open", "cf.sub_category": "小说"})
    html = page.content.decode()
    assert [ticket.pk for ticket in page.context["page"].items] == [first.pk]
    # The filter offers the books values only, with their colours.
    assert (
        '<option value="小说" selected style="color: #ae3ec9" data-colour="#ae3ec9">● 小说</option>' in html
    )
    assert '<option value="手机"' not in html
    # A saved view can show the pick list as a column: the cell is the coloured badge.
    from kefu.tickets.tests.factories import SavedViewFactory

    view = SavedViewFactory(owner=books_agent.user, columns=["number", "cf.sub_category"], base="open")
    html = client.get("/tickets/", {"saved": view.pk}).content.decode()
    assert 'style="background-color: #ae3ec9; color: #ffffff">小说</span>' in html
