"""Settings → Layouts: the list per department, the editor page (its data, saving, errors by place,
removing), in Chinese and English; administrators only."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kefu.core.models import AuditEntry
from kefu.customfields.models import CustomField, Layout
from kefu.customfields.tests.factories import CustomFieldFactory

pytestmark = pytest.mark.django_db

LIST = reverse("settings-layouts")


@pytest.fixture
def admin_client(client, admin_agent):
    client.force_login(admin_agent.user)
    return client


def edit_url(scope) -> str:
    return reverse("settings-layout-edit", args=["ticket", scope])


def editor_data(page: str) -> dict:
    start = page.index('<script id="layout-editor-data" type="application/json">') + len(
        '<script id="layout-editor-data" type="application/json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            ["Layouts", "Default layout (every department without its own)", "Follows the default layout"],
        ),
        ("zh-hans", ["布局", "默认布局（所有没有自己布局的部门）", "沿用默认布局"]),
    ],
)
def test_the_list_shows_the_default_and_every_department(admin_client, department, language, words):
    admin_client.cookies["django_language"] = language
    page = admin_client.get(LIST).content.decode()
    for word in words:
        assert word in page, word
    assert f'href="{edit_url("default")}"' in page
    assert f'href="{edit_url(department.pk)}"' in page
    assert 'aria-current="page" href="' + LIST in page


def test_only_administrators_open_the_layout_pages(client, agent, department):
    client.force_login(agent.user)
    assert client.get(LIST).status_code == 403
    assert client.get(edit_url(department.pk)).status_code == 403
    assert client.post(edit_url(department.pk), {"layout": '{"sections": []}'}).status_code == 403
    assert not Layout.objects.exists()


def test_an_unknown_module_or_department_is_a_404(admin_client):
    assert admin_client.get(reverse("settings-layout-edit", args=["planet", "default"])).status_code == 404
    assert admin_client.get(edit_url(987654)).status_code == 404
    assert admin_client.get(edit_url("elsewhere")).status_code == 404


def test_the_editor_gets_the_fields_their_values_and_the_stored_layout(admin_client, department):
    CustomFieldFactory(key="severity", name="严重程度", choices=["一般", "严重"])
    CustomFieldFactory(key="towed", name="已拖车", field_type=CustomField.FieldType.CHECKBOX)
    page = admin_client.get(edit_url(department.pk)).content.decode()
    data = editor_data(page)
    assert data["layout"] == {"sections": [], "rules": []}
    fields = {item["field"]: item for item in data["catalog"]}
    assert list(fields) == [
        "priority",
        "type",
        "assignee_id",
        "tags",
        "custom_fields.severity",
        "custom_fields.towed",
    ]
    assert fields["custom_fields.severity"]["choices"] == [["一般", "一般"], ["严重", "严重"]]
    assert fields["custom_fields.towed"]["choices"] == [["true", "Ticked"], ["false", "Not ticked"]]
    assert [label for _value, label in fields["priority"]["choices"]] == ["Urgent", "High", "Medium", "Low"]
    assert "customfields/layout-editor.js" in page
    assert "vendor/sortablejs/Sortable.min.js" in page


def test_saving_a_layout_from_the_page(admin_client, admin_agent, department):
    CustomFieldFactory(key="severity", name="严重程度", choices=["一般", "严重"])
    layout = {
        "sections": [
            {
                "key": "s1",
                "name": "基本信息",
                "name_en": "Basics",
                "fields": [
                    {"field": "type", "required_on_create": True, "required_on_close": False},
                    {
                        "field": "custom_fields.severity",
                        "required_on_create": False,
                        "required_on_close": True,
                    },
                ],
            }
        ],
        "rules": [],
    }
    response = admin_client.post(edit_url(department.pk), {"layout": json.dumps(layout)})
    assert response.status_code == 302
    assert response["Location"] == edit_url(department.pk)
    row = Layout.objects.get(department=department)
    assert row.sections == layout["sections"]
    entry = AuditEntry.objects.get(action="layout.saved")
    assert (entry.actor_id, entry.source) == (admin_agent.user.pk, "web")
    page = admin_client.get(edit_url(department.pk)).content.decode()
    assert "The layout was saved." in page
    assert editor_data(page)["layout"]["sections"] == layout["sections"]
    assert "1 section, 0 rules" in admin_client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Unknown field “nope”."), ("zh-hans", "未知字段“nope”。")]
)
def test_a_bad_layout_is_listed_by_place_and_the_edit_is_kept(admin_client, department, language, message):
    admin_client.cookies["django_language"] = language
    layout = {"sections": [{"key": "s1", "name": "甲", "fields": [{"field": "nope"}]}], "rules": []}
    response = admin_client.post(edit_url(department.pk), {"layout": json.dumps(layout)})
    assert response.status_code == 422
    page = response.content.decode()
    assert f"<li><code>sections.0.fields.0.field</code> {message}</li>" in page
    assert editor_data(page)["layout"] == layout
    assert not Layout.objects.exists()
    broken = admin_client.post(edit_url(department.pk), {"layout": "{not json"})
    assert broken.status_code == 422
    assert "<code>layout</code>" in broken.content.decode()


def test_removing_a_layout(admin_client, department):
    admin_client.post(edit_url("default"), {"layout": json.dumps({"sections": [], "rules": []})})
    assert Layout.objects.filter(department__isnull=True).exists()
    remove = reverse("settings-layout-remove", args=["ticket", "default"])
    assert admin_client.post(remove).status_code == 302
    assert not Layout.objects.exists()
    assert admin_client.post(remove).status_code == 404
