from __future__ import annotations

import pytest

from kefu.kb.models import Article
from kefu.kb.tests.factories import ArticleFactory


@pytest.fixture
def admin_api(api_client_for, admin_agent):
    return api_client_for(admin_agent)


def test_categories_sections_and_articles_round_trip(admin_api, brand):
    category = admin_api.post_json(
        "/api/v1/kb/categories", {"brand_id": brand.pk, "name": "Billing", "language": "en"}
    )
    assert category.status_code == 201
    assert category.json() == {
        "id": category.json()["id"], "brand_id": brand.pk, "name": "Billing", "description": "",
        "language": "en", "position": 0,
    }  # fmt: skip
    section = admin_api.post_json(
        "/api/v1/kb/sections", {"category_id": category.json()["id"], "name": "Invoices"}
    )
    assert section.status_code == 201
    assert section.json()["category_id"] == category.json()["id"]
    created = admin_api.post_json(
        "/api/v1/kb/articles",
        {"section_id": section.json()["id"], "title": "Get an invoice", "body": "<p>Open <i>Billing</i>.</p>",
         "status": "published", "visibility": "customers", "language": "en", "tags": ["invoice"]},
    )  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    shown = ("title", "body", "status", "visibility", "language", "tags", "translation_of")
    assert {k: body[k] for k in shown} == {
        "title": "Get an invoice", "body": "<p>Open <i>Billing</i>.</p>", "status": "published",
        "visibility": "customers", "language": "en", "tags": ["invoice"], "translation_of": None,
    }  # fmt: skip
    patched = admin_api.patch_json(f"/api/v1/kb/articles/{body['id']}", {"title": "Get your invoice"})
    assert (patched.status_code, patched.json()["title"], patched.json()["version"]) == (
        200,
        "Get your invoice",
        2,
    )
    listed = admin_api.get("/api/v1/kb/articles", {"status": "published"})
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]
    assert admin_api.delete(f"/api/v1/kb/articles/{body['id']}").status_code == 204
    assert Article.objects.count() == 0


def test_bad_fields_are_named_in_a_422(admin_api, section):
    response = admin_api.post_json(
        "/api/v1/kb/articles", {"section_id": section.pk, "title": "", "status": "live", "visibility": "x"}
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"title", "status", "visibility"}
    unknown = admin_api.post_json(
        "/api/v1/kb/articles", {"section_id": 99999, "title": "t", "translation_of": 99999}
    )
    assert unknown.status_code == 422
    assert set(unknown.json()["error"]["fields"]) == {"section_id", "translation_of"}


def test_permission_matrix(api_client_for, agent, light_agent, section):
    article = ArticleFactory(section=section, status="draft")
    anonymous = api_client_for(None)
    assert anonymous.get("/api/v1/kb/articles").status_code == 401
    assert api_client_for(light_agent).get(f"/api/v1/kb/articles/{article.pk}").status_code == 200
    assert (
        api_client_for(light_agent)
        .post_json("/api/v1/kb/articles", {"section_id": section.pk, "title": "x"})
        .status_code
        == 403
    )
    writer = api_client_for(agent)
    assert (
        writer.post_json("/api/v1/kb/articles", {"section_id": section.pk, "title": "x"}).status_code == 201
    )
    assert (
        writer.post_json(
            "/api/v1/kb/articles", {"section_id": section.pk, "title": "y", "status": "published"}
        ).status_code
        == 403
    )
    assert (
        writer.post_json(
            "/api/v1/kb/categories", {"brand_id": section.category.brand_id, "name": "x"}
        ).status_code
        == 403
    )
    assert writer.get("/api/v1/kb/articles/999999").status_code == 404
