"""Nothing private reaches anonymous visitors or other customers: search, suggestions, the public API,
the sitemap and the widget show only what the reader may read (articles indexed through the outbox)."""

from __future__ import annotations

import pytest
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.services import kb_article_create, kb_article_update


@pytest.fixture
def indexed(admin_agent, section, django_capture_on_commit_callbacks):
    """Articles written through the services, so that the outbox consumer indexes them."""
    actor = Actor.agent(admin_agent.user)

    def write(title: str, **values):
        data = ArticleInput(section_id=section.pk, title=title, body=f"<p>{title} 退款 说明</p>", **values)
        with django_capture_on_commit_callbacks(execute=True):
            return kb_article_create(actor=actor, source=Source.WEB, data=data)

    return {
        "public": write("公开退款政策", status="published"),
        "customers": write("会员退款政策", status="published", visibility="customers"),
        "agents": write("内部退款政策", status="published", visibility="agents"),
        "draft": write("草稿退款政策"),
    }


def _titles(response) -> set[str]:
    return {item["title"] for item in response.json()["items"]}


def test_anonymous_search_finds_only_public_published_articles(indexed):
    response = Client().get("/api/v1/public/acme/search", {"q": "退款"})
    assert response.status_code == 200
    assert _titles(response) == {"公开退款政策"}
    html = Client().get("/hc/acme/search/", {"q": "退款"}).content.decode()
    assert "公开退款政策" in html or "公开" in html
    for private in ("会员", "内部", "草稿"):
        assert private not in html
    suggestions = Client().get("/hc/acme/suggest/", {"q": "退款"}).json()["items"]
    assert suggestions == ["公开退款政策"]


def test_customers_find_customer_articles_but_never_agent_only_ones(indexed, customer_client):
    html = customer_client.get("/hc/acme/search/", {"q": "退款"}).content.decode()
    assert "会员" in html
    assert "内部" not in html
    assert "草稿" not in html


def test_unpublishing_removes_an_article_from_search(
    indexed, admin_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kb_article_update(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            article=indexed["public"],
            changes={"status": "draft"},
        )
    assert _titles(Client().get("/api/v1/public/acme/search", {"q": "退款"})) == set()


def test_another_brands_articles_never_show(indexed, db):
    from kefu.kb.tests.factories import BrandFactory

    BrandFactory(slug="other")
    assert _titles(Client().get("/api/v1/public/other/search", {"q": "退款"})) == set()


def _widget_titles(response) -> set[str]:
    return {hit.article.title for hit in response.context["hits"]}


def test_the_widget_shows_each_reader_only_what_they_may_read(indexed, customer_client):
    anonymous = Client().get("/hc/acme/widget/search/", {"q": "退款"}, headers={"HX-Request": "true"})
    assert _widget_titles(anonymous) == {"公开退款政策"}
    html = anonymous.content.decode()
    for private in ("会员", "内部", "草稿"):
        assert private not in html
    customer = customer_client.get("/hc/acme/widget/search/", {"q": "退款"}, headers={"HX-Request": "true"})
    assert _widget_titles(customer) == {"公开退款政策", "会员退款政策"}


def test_the_answer_bot_never_answers_with_an_article_the_visitor_may_not_read(indexed, customer_client):
    asked = Client().post("/hc/acme/widget/ask/", {"q": "内部退款政策"}, headers={"HX-Request": "true"})
    assert [hit.article.title for hit, _path in asked.context["answers"]] == ["公开退款政策"]
    assert "内部" not in asked.content.decode().replace("内部退款政策</div>", "")  # only the question
    by_customer = customer_client.post(
        "/hc/acme/widget/ask/", {"q": "内部退款政策"}, headers={"HX-Request": "true"}
    )
    assert {hit.article.title for hit, _path in by_customer.context["answers"]} <= {
        "公开退款政策",
        "会员退款政策",
    }


def test_the_sitemap_is_the_same_public_list_whoever_reads_it(indexed, customer_client, admin_agent):
    agent_client = Client()
    agent_client.force_login(admin_agent.user)
    for client in (Client(), customer_client, agent_client):
        body = client.get("/hc/acme/sitemap.xml").content.decode()
        assert f"/hc/acme/articles/{indexed['public'].pk}-" in body
        for kind in ("customers", "agents", "draft"):
            assert f"/articles/{indexed[kind].pk}-" not in body, kind


def test_suggestions_never_offer_agent_only_titles_to_customers(indexed, customer_client):
    titles = customer_client.get("/hc/acme/suggest/", {"q": "退款"}).json()["items"]
    assert sorted(titles) == ["会员退款政策", "公开退款政策"]
    assert not any(
        "会员" in title for title in Client().get("/hc/acme/suggest/", {"q": "会员"}).json()["items"]
    )


def test_an_article_made_agents_only_leaves_anonymous_search_and_the_sitemap(
    indexed, admin_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kb_article_update(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            article=indexed["public"],
            changes={"visibility": "agents"},
        )
    assert _titles(Client().get("/api/v1/public/acme/search", {"q": "退款"})) == set()
    assert f"/articles/{indexed['public'].pk}-" not in Client().get("/hc/acme/sitemap.xml").content.decode()
    widget = Client().get("/hc/acme/widget/search/", {"q": "退款"}, headers={"HX-Request": "true"})
    assert _widget_titles(widget) == set()


def test_suggestions_come_from_every_language_when_the_pages_language_offers_none(indexed):
    english_page = Client().get("/hc/acme/suggest/", {"q": "退款", "lang": "en"}).json()["items"]
    assert english_page == ["公开退款政策"]
