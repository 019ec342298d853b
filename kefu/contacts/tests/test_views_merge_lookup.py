"""The merge page and the contact lookup used by the create-ticket page."""

from __future__ import annotations

import pytest

from kefu.contacts.models import Contact
from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.org.tests.factories import UserFactory
from kefu.tickets.inputs import ContactRef

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def wang(db):
    return ContactFactory(name="王芳", email="wang.fang@example.cn", phone="+86 21 5555 0101")


@pytest.fixture
def duplicate(db):
    return ContactFactory(name="Fang Wang", email="fang@corp.cn")


# --- merge page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_page_finds_candidates_but_not_the_contact_itself(signed_in, wang, duplicate):
    response = signed_in.get(f"/contacts/{wang.pk}/merge/", {"q": "fang"})
    assert [c.pk for c in response.context["candidates"]] == [duplicate.pk]
    assert response.context["form"] is None
    page = signed_in.get(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk})
    assert page.context["form"] is not None
    assert "fang@corp.cn" in page.content.decode()


@pytest.mark.django_db
def test_merging_keeps_the_chosen_contact_and_moves_tickets(signed_in, wang, duplicate, create_ticket):
    ticket = create_ticket(contact=ContactRef(contact_id=wang.pk))
    response = signed_in.post(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk, "keep": duplicate.pk})
    assert (response.status_code, response["Location"]) == (302, f"/contacts/{duplicate.pk}/")
    wang.refresh_from_db()
    ticket.refresh_from_db()
    assert (wang.merged_into_id, ticket.contact_id) == (duplicate.pk, duplicate.pk)
    old_link = signed_in.get(f"/contacts/{wang.pk}/")
    assert (old_link.status_code, old_link["Location"]) == (302, f"/contacts/{duplicate.pk}/")
    listed = signed_in.get("/contacts/")
    assert [c.pk for c in listed.context["page"].items] == [duplicate.pk]


@pytest.mark.django_db
def test_merging_a_contact_into_itself_is_a_form_error(signed_in, wang):
    response = signed_in.post(f"/contacts/{wang.pk}/merge/", {"other": wang.pk, "keep": wang.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Choose a different contact."]
    wang.refresh_from_db()
    assert wang.merged_into_id is None


@pytest.mark.django_db
def test_merge_with_a_stale_page_is_a_form_error(signed_in, wang, duplicate):
    third = ContactFactory(name="第三人")
    signed_in.post(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk, "keep": wang.pk})
    # The duplicate is gone now: a second tab still offering it shows the lookup notice, not a 500.
    response = signed_in.post(f"/contacts/{third.pk}/merge/", {"other": duplicate.pk, "keep": third.pk})
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "That contact does not exist or has already been merged." in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == wang.pk


@pytest.mark.django_db
@pytest.mark.parametrize("keep", ["", "abc", "123456"])
def test_merge_with_a_bad_choice_is_a_field_error(signed_in, wang, duplicate, keep):
    response = signed_in.post(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk, "keep": keep})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["keep"]
    assert Contact.objects.filter(merged_into__isnull=False).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["abc", "-1", str(2**64), ""])
def test_merge_page_ignores_a_bad_other_id(signed_in, wang, other):
    response = signed_in.get(f"/contacts/{wang.pk}/merge/", {"other": other})
    assert response.status_code == 200
    assert response.context["form"] is None


@pytest.mark.django_db
def test_light_agents_cannot_merge(client, light_agent, wang, duplicate):
    client.force_login(light_agent.user)
    assert client.get(f"/contacts/{wang.pk}/merge/").status_code == 403
    response = client.post(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk, "keep": wang.pk})
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


# --- lookup ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lookup_json_lists_matching_contacts(signed_in, wang):
    wang.account = AccountFactory(name="明远科技")
    wang.save()
    ContactFactory(name="李雷", email="li.lei@example.cn")
    response = signed_in.get("/contacts/lookup/", {"q": "5555"}, **JSON)
    assert response.json() == {
        "items": [
            {
                "id": wang.pk,
                "name": "王芳",
                "email": "wang.fang@example.cn",
                "phone": "+86 21 5555 0101",
                "mobile": "",
                "account": "明远科技",
                "url": f"/contacts/{wang.pk}/",
            }
        ]
    }


@pytest.mark.django_db
def test_lookup_html_is_a_fragment_of_at_most_ten(signed_in):
    ContactFactory.create_batch(12, name="张三")
    response = signed_in.get("/contacts/lookup/", {"q": "张三"})
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('role="option"') == 10
    assert signed_in.get("/contacts/lookup/", {"q": ""}, **JSON).json() == {"items": []}


@pytest.mark.django_db
def test_lookup_refuses_anonymous_and_non_agents(client, wang):
    response = client.get("/contacts/lookup/", {"q": "王"}, **JSON)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    client.force_login(UserFactory())
    response = client.get("/contacts/lookup/", {"q": "王"}, **JSON)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.get("/contacts/lookup/", {"q": "王"}).status_code == 403


@pytest.mark.django_db
def test_lookup_too_long_a_query_is_a_400_naming_q(signed_in):
    response = signed_in.get("/contacts/lookup/", {"q": "x" * 201}, **JSON)
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_failed",
            "message": "The search text is not valid.",
            "fields": {"q": "Ensure this value has at most 200 characters (it has 201)."},
        }
    }


@pytest.mark.django_db
def test_lookup_hides_merged_contacts(signed_in, wang, duplicate):
    signed_in.post(f"/contacts/{wang.pk}/merge/", {"other": duplicate.pk, "keep": wang.pk})
    response = signed_in.get("/contacts/lookup/", {"q": "fang"}, **JSON)
    assert [item["id"] for item in response.json()["items"]] == [wang.pk]
