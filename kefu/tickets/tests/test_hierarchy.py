"""Parent and child tickets: linking rules, the children endpoint, closing families, the console card."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.core.actors import Actor, Source
from kefu.org.models import Department
from kefu.tickets.models import Status, Ticket, TicketEvent
from kefu.tickets.services import ticket_update
from tests.helpers import error_of

URL = "/api/v1/tickets"


@pytest.fixture
def api_client_for(api_client_for):
    """API clients that ask for English, whatever the key owner's language."""

    def make(agent):
        client = api_client_for(agent)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def status(name: str) -> Status:
    return Status.objects.get(name=name)


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("status").get(pk=ticket.pk)


@pytest.fixture
def family(create_ticket, other_department):
    """The laptop of the seed: a parent and children for the hardware, software and network teams,
    the network one in another department."""
    parent = create_ticket(subject="笔记本电脑无法开机")
    hardware = create_ticket(subject="硬件诊断", parent_id=parent.pk)
    software = create_ticket(subject="系统排查", parent_id=parent.pk)
    network = create_ticket(subject="网络排查", parent_id=parent.pk, department_id=other_department.pk)
    return parent, hardware, software, network


@pytest.mark.django_db
def test_children_lists_every_child_hiding_only_another_departments_subject(api, family):
    parent, hardware, software, network = family
    response = api.get(f"{URL}/{parent.pk}/children")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [(i["id"], i["subject"], i["accessible"], i["department"]) for i in items] == [
        (hardware.pk, "硬件诊断", True, "After-sales"),
        (software.pk, "系统排查", True, "After-sales"),
        (network.pk, None, False, "Billing"),
    ]
    assert items[2] == {
        "id": network.pk,
        "number": network.number,
        "display_number": f"#{network.number}",
        "subject": None,
        "status": "新建",
        "status_type": "open",
        "department": "Billing",
        "team": None,
        "assignee": None,
        "accessible": False,
    }
    # The other department's agent cannot see the parent at all.
    assert error_of(api.__class__().get(f"{URL}/{parent.pk}/children"), 401)["code"]
    assert api.get(f"{URL}/{network.pk}/children").status_code == 404


@pytest.mark.django_db
def test_linking_rules_name_parent_id(api, family, create_ticket, other_department):
    parent, hardware, _software, _network = family
    loose = create_ticket()
    child_of_child = f"Ticket {hardware.number} is itself a child ticket; a child cannot have children."
    cases = [
        (loose, hardware.pk, child_of_child),
        (parent, loose.pk, "This ticket has child tickets, so it cannot become a child itself."),
        (loose, loose.pk, "A ticket cannot be its own parent."),
        (loose, 987654, "Unknown id 987654."),
        # Another department's ticket is as unknown as a missing one.
        (loose, create_ticket(department_id=other_department.pk).pk, None),
    ]
    for ticket, parent_id, message in cases:
        error = error_of(api.patch_json(f"{URL}/{ticket.pk}", {"parent_id": parent_id}), 422)
        assert error["fields"] == {"parent_id": message or f"Unknown id {parent_id}."}
    # A cycle cannot arise: the parent cannot be put under its own child.
    error = error_of(api.patch_json(f"{URL}/{parent.pk}", {"parent_id": hardware.pk}), 422)
    assert set(error["fields"]) == {"parent_id"}
    assert reload(parent).parent_id is None
    assert reload(loose).parent_id is None
    # Creating a child in one step: POST with parent_id.
    created = api.post_json(
        URL,
        {"subject": "电源排查", "description": "检查电源适配器", "department_id": parent.department_id,
         "contact_id": parent.contact_id, "parent_id": parent.pk},
    )  # fmt: skip
    assert (created.status_code, created.json()["parent_id"]) == (201, parent.pk)
    assert len(api.get(f"{URL}/{parent.pk}/children").json()["items"]) == 4


@pytest.mark.django_db
def test_closing_the_parent_closes_its_open_children_of_every_department(api, family):
    parent, hardware, software, network = family
    ticket_update(actor=Actor.system(), source=Source.IMPORT, ticket=software, changes={"status": "已关闭"})
    software_closed_at = reload(software).closed_at
    response = api.patch_json(f"{URL}/{parent.pk}", {"status": "已关闭"})
    assert response.status_code == 200, response.content
    assert {t.pk: reload(t).status.name for t in (parent, hardware, software, network)} == {
        parent.pk: "已关闭",
        hardware.pk: "已关闭",
        software.pk: "已关闭",
        network.pk: "已关闭",
    }
    assert reload(software).closed_at == software_closed_at
    cause = TicketEvent.objects.get(ticket=parent, field="status").change_set
    for child in (hardware, network):
        event = TicketEvent.objects.get(ticket=child, field="status")
        assert (event.actor_kind, event.source, event.caused_by) == ("system", "api", cause)
    # Reopening the parent reopens nothing else.
    api.patch_json(f"{URL}/{parent.pk}", {"status": "处理中"})
    assert reload(hardware).status.name == "已关闭"


@pytest.mark.django_db
def test_closing_the_last_open_child_closes_the_parent_unless_its_department_says_no(api, family, department):
    parent, hardware, software, network = family
    ticket_update(actor=Actor.system(), source=Source.API, ticket=network, changes={"status": "已关闭"})
    api.patch_json(f"{URL}/{hardware.pk}", {"status": "已关闭"})
    assert reload(parent).status.name == "新建"
    api.patch_json(f"{URL}/{software.pk}", {"status": "已关闭"})
    assert reload(parent).status.name == "已关闭"
    event = TicketEvent.objects.get(ticket=parent, field="status")
    assert event.caused_by == TicketEvent.objects.get(ticket=software, field="status").change_set

    Department.objects.filter(pk=department.pk).update(close_parent_with_last_child=False)
    api.patch_json(f"{URL}/{parent.pk}", {"status": "处理中"})
    api.patch_json(f"{URL}/{software.pk}", {"status": "处理中"})
    api.patch_json(f"{URL}/{software.pk}", {"status": "已关闭"})
    assert reload(parent).status.name == "处理中"


@pytest.mark.django_db
def test_a_light_agent_cannot_link(api_client_for, light_agent, family, create_ticket):
    parent, *_ = family
    loose = create_ticket()
    response = api_client_for(light_agent).patch_json(f"{URL}/{loose.pk}", {"parent_id": parent.pk})
    error = error_of(response, 403)
    assert error["code"] == "permission_denied"
    assert reload(loose).parent_id is None


@pytest.mark.django_db
def test_the_console_card_links_unlinks_and_creates_a_child(client, agent, family, create_ticket):
    parent, hardware, software, network = family
    client.force_login(agent.user)
    page = client.get(reverse("tickets:detail", args=[parent.pk])).content.decode()
    assert 'id="ticket-family"' in page
    assert "硬件诊断" in page
    assert "网络排查" not in page
    assert f"#{network.number}" in page
    closing = f"#{hardware.number}, #{software.number}, #{network.number}"
    assert f"Closing this ticket also closes its open child tickets: {closing}. Close them all?" in page
    assert "data-closed" in page

    loose = create_ticket(subject="键盘失灵")
    url = reverse("tickets:family", args=[parent.pk])
    linked = client.post(url, {"action": "link_child", "number": str(loose.number)}, HTTP_HX_REQUEST="true")
    assert linked.status_code == 200
    assert reload(loose).parent_id == parent.pk
    assert "键盘失灵" in linked.content.decode()
    unlinked = client.post(
        url, {"action": "unlink_child", "number": str(loose.number)}, HTTP_HX_REQUEST="true"
    )
    assert unlinked.status_code == 200
    assert reload(loose).parent_id is None
    refused = client.post(
        url, {"action": "link_child", "number": str(network.number)}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 422
    assert "Enter the number of a ticket you can see." in refused.content.decode()

    form = client.get(reverse("tickets:create"), {"parent": parent.pk, "department": parent.department_id})
    assert "This ticket will be a child of ticket" in form.content.decode()
    created = client.post(
        reverse("tickets:create"),
        {"parent": parent.pk, "department": parent.department_id, "contact_id": parent.contact_id,
         "subject": "电池检测", "description": "电池是否鼓包"},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:2000]
    child = Ticket.objects.get(subject="电池检测")
    assert child.parent_id == parent.pk
