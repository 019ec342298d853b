from __future__ import annotations

import pytest
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.models import Article
from kefu.kb.services import kb_article_create, kb_article_update
from kefu.tickets.inputs import ReplyInput
from kefu.tickets.services import ticket_reply


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent.user)
    return client


@pytest.fixture
def admin_client(admin_agent):
    client = Client()
    client.force_login(admin_agent.user)
    return client


def _form(section, **values):
    data = {
        "title": "如何开发票",
        "section": section.pk,
        "body": "<p>在订单页申请。</p>",
        "visibility": "public",
        "language": "zh-hans",
        "tags": "发票, 订单",
        "status": "draft",
    }
    data.update(values)
    return data


def test_an_agent_writes_a_draft_and_submits_it_for_review(agent_client, section):
    response = agent_client.post("/kb/articles/new/", _form(section))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kb/articles/{article.pk}/"
    assert (article.status, article.tags) == ("draft", ["发票", "订单"])
    agent_client.post(f"/kb/articles/{article.pk}/", _form(section, status="review"))
    article.refresh_from_db()
    assert article.status == "review"
    refused = agent_client.post(f"/kb/articles/{article.pk}/", _form(section, status="published"))
    assert refused.status_code == 422
    article.refresh_from_db()
    assert article.status == "review"
    assert "Publish" not in agent_client.get(f"/kb/articles/{article.pk}/").content.decode()


def test_bad_input_is_shown_on_the_form(agent_client, section):
    response = agent_client.post("/kb/articles/new/", _form(section, title="", translation_of="99999"))
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"title"}
    unknown = agent_client.post("/kb/articles/new/", _form(section, translation_of="99999"))
    assert set(unknown.context["form"].errors) == {"translation_of"}
    assert Article.objects.count() == 0


def test_an_administrator_publishes_and_the_list_filters_by_status(admin_client, section):
    admin_client.post("/kb/articles/new/", _form(section, status="published"))
    assert Article.objects.get().status == "published"
    listed = admin_client.get("/kb/", {"status": "published"})
    assert [a.title for a in listed.context["articles"]] == ["如何开发票"]
    assert admin_client.get("/kb/", {"status": "draft"}).context["articles"] == []


def test_versions_show_a_diff_and_restore(agent, agent_client, section):
    actor = Actor.agent(agent.user)
    article = kb_article_create(
        actor=actor, source=Source.WEB, data=ArticleInput(section_id=section.pk, title="旧标题")
    )
    kb_article_update(actor=actor, source=Source.WEB, article=article, changes={"title": "新标题"})
    page = agent_client.get(f"/kb/articles/{article.pk}/versions/")
    assert page.status_code == 200
    assert [(line.op, line.text) for line in page.context["diff"] if line.op != " "] == [
        ("-", "旧标题"),
        ("+", "新标题"),
    ]
    assert agent_client.post(f"/kb/articles/{article.pk}/versions/1/restore/").status_code == 302
    article.refresh_from_db()
    assert (article.title, article.version) == ("旧标题", 3)


def test_light_agents_read_but_do_not_write(light_agent, section):
    client = Client()
    client.force_login(light_agent.user)
    assert client.get("/kb/").status_code == 200
    assert client.get("/kb/articles/new/").status_code == 403
    assert client.get("/kb/categories/").status_code == 403


def test_the_ticket_panel_turns_a_reply_into_a_draft(agent, agent_client, section, create_ticket):
    ticket = create_ticket(subject="路由器断线")
    thread = ticket_reply(
        actor=Actor.agent(agent.user),
        source=Source.WEB,
        ticket=ticket,
        data=ReplyInput(body="<p>请重启。</p>"),
    )
    assert 'id="kb-ticket-panel"' in agent_client.get(f"/tickets/{ticket.pk}/").content.decode()
    panel = agent_client.get(f"/kb/tickets/{ticket.pk}/")
    assert [t.pk for t in panel.context["replies"]] == [thread.pk]
    response = agent_client.post(f"/kb/replies/{thread.pk}/article/")
    article = Article.objects.get()
    assert response["Location"] == f"/kb/articles/{article.pk}/"
    assert (article.title, article.status) == ("路由器断线", "draft")


def test_the_ticket_panel_finds_published_articles_to_insert(
    admin_agent, agent_client, section, create_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = kb_article_create(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            data=ArticleInput(
                section_id=section.pk,
                title="路由器断线怎么办",
                body="<p>重启路由器。</p>",
                status="published",
            ),
        )
    ticket = create_ticket()
    panel = agent_client.get(f"/kb/tickets/{ticket.pk}/", {"q": "路由器断线"})
    assert [item["hit"].article.pk for item in panel.context["results"]] == [article.pk]
    assert (
        panel.context["results"][0]["url"]
        == f"http://testserver/hc/{section.category.brand.slug}/articles/{article.pk}/"
    )
    html = panel.content.decode()
    assert "Insert link" in html
    assert "<template><p>重启路由器。</p></template>" in html
