from __future__ import annotations

import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.event_types import EventType
from kefu.kb import selectors, services
from kefu.kb.inputs import ArticleInput, CategoryInput
from kefu.kb.models import Article
from kefu.kb.tests.factories import ArticleFactory


@pytest.fixture
def writer(agent):
    return Actor.agent(agent.user)


@pytest.fixture
def manager(admin_agent):
    return Actor.agent(admin_agent.user)


def _draft(actor, section, **overrides):
    values = {
        "section_id": section.pk,
        "title": "如何重置密码",
        "body": "<p>点击<b>忘记密码</b></p><script>x()</script>",
    }
    values.update(overrides)
    return services.kb_article_create(actor=actor, source=Source.WEB, data=ArticleInput(**values))


def test_a_writer_drafts_an_article_with_a_sanitised_body_and_a_first_version(writer, section, published):
    article = _draft(writer, section, tags=["密码", " 账户 "])

    assert (article.status, article.visibility, article.language) == ("draft", "public", "zh-hans")
    assert article.body == "<p>点击<b>忘记密码</b></p>"
    assert article.body_text == "点击忘记密码"
    assert article.slug == "如何重置密码"
    assert article.tags == ["密码", "账户"]
    assert [(v.number, v.title) for v in article.versions.all()] == [(1, "如何重置密码")]
    assert published(EventType.KB_ARTICLE_CHANGED) == [{"article_ids": [article.pk]}]


def test_editing_the_text_makes_a_version_that_can_be_compared_and_restored(writer, section):
    article = _draft(writer, section, body="第一行\n\n第二行")
    services.kb_article_update(
        actor=writer, source=Source.WEB, article=article, changes={"body": "第一行\n\n第三行"}
    )
    services.kb_article_update(
        actor=writer, source=Source.WEB, article=article, changes={"visibility": "agents"}
    )
    article.refresh_from_db()
    assert article.version == 2  # the visibility change is no new text
    old, new = selectors.version_get(article, 1), selectors.version_get(article, 2)
    changed = [(line.op, line.text) for line in selectors.version_diff(old, new) if line.op != " "]
    assert changed == [("-", "第二行"), ("+", "第三行")]

    services.kb_article_restore(actor=writer, source=Source.WEB, article=article, number=1)
    article.refresh_from_db()
    assert (article.version, article.body) == (3, "<p>第一行</p><p>第二行</p>")
    with pytest.raises(NotFound):
        services.kb_article_restore(actor=writer, source=Source.WEB, article=article, number=9)


def test_only_managers_publish_and_change_published_articles(writer, manager, section):
    with pytest.raises(PermissionDenied):
        _draft(writer, section, status="published")
    article = _draft(writer, section, status="review")
    services.kb_article_set_status(actor=manager, source=Source.WEB, article=article, status="published")
    article.refresh_from_db()
    assert article.status == "published"
    assert article.published_at is not None
    with pytest.raises(PermissionDenied):
        services.kb_article_update(actor=writer, source=Source.WEB, article=article, changes={"title": "改"})
    services.kb_article_set_status(actor=manager, source=Source.WEB, article=article, status="draft")
    article.refresh_from_db()
    assert (article.status, article.published_at) == ("draft", None)


def test_light_agents_and_contacts_cannot_write(light_agent, section):
    for actor in (
        Actor.agent(light_agent.user),
        Actor.contact(type("C", (), {"pk": 1, "name": "x", "email": ""})()),
    ):
        with pytest.raises(PermissionDenied):
            _draft(actor, section)
    assert Article.objects.count() == 0


def test_every_bad_field_is_named(writer, section):
    with pytest.raises(ValidationFailed) as error:
        _draft(
            writer, section, title=" ", status="live", visibility="secret", language="fr", section_id=999999
        )
    assert set(error.value.fields) == {"title", "status", "visibility", "language", "section_id"}


def test_translations_link_to_an_original_in_the_other_language(writer, section):
    original = _draft(writer, section)
    english = _draft(writer, section, title="Reset your password", language="en", translation_of=original.pk)
    assert english.translation_of_id == original.pk
    with pytest.raises(ValidationFailed) as same_language:
        _draft(writer, section, title="重置", translation_of=original.pk)
    assert "translation_of" in same_language.value.fields
    with pytest.raises(ValidationFailed) as second:
        _draft(writer, section, title="Reset 2", language="en", translation_of=original.pk)
    assert "translation_of" in second.value.fields
    with pytest.raises(ValidationFailed) as chained:
        _draft(writer, section, title="重置 3", translation_of=english.pk)
    assert "translation_of" in chained.value.fields


def test_a_reply_becomes_a_draft_article(writer, section, create_ticket):
    ticket = create_ticket(subject="打印机无法联网")
    from kefu.tickets.inputs import ReplyInput
    from kefu.tickets.services import ticket_reply

    thread = ticket_reply(
        actor=writer, source=Source.WEB, ticket=ticket, data=ReplyInput(body="<p>请重启路由器。</p>")
    )
    article = services.kb_article_from_reply(actor=writer, source=Source.WEB, thread_id=thread.pk)
    assert (article.title, article.body, article.status, article.section_id) == (
        "打印机无法联网",
        "<p>请重启路由器。</p>",
        "draft",
        section.pk,
    )


def test_a_reply_of_a_ticket_the_agent_cannot_see_is_not_found(other_agent, section, create_ticket):
    ticket = create_ticket()
    with pytest.raises(NotFound):
        services.kb_article_from_reply(
            actor=Actor.agent(other_agent.user), source=Source.WEB, thread_id=ticket.first_thread.pk
        )


def test_votes_count_and_keep_feedback_for_the_author(section):
    article = ArticleFactory(section=section)
    services.kb_article_vote(article=article, helpful=True)
    services.kb_article_vote(article=article, helpful=False, feedback="  步骤三看不懂 ")
    services.kb_article_viewed(article_id=article.pk)
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no, article.view_count) == (1, 1, 1)
    assert [vote.feedback for vote in selectors.article_feedback(article)] == ["步骤三看不懂"]


def test_categories_need_a_manager_and_go_only_when_empty(writer, manager, brand, section):
    with pytest.raises(PermissionDenied):
        services.kb_category_create(
            actor=writer, source=Source.WEB, data=CategoryInput(brand_id=brand.pk, name="x")
        )
    category = services.kb_category_create(
        actor=manager, source=Source.WEB, data=CategoryInput(brand_id=brand.pk, name="Billing", language="en")
    )
    assert (category.name, category.language) == ("Billing", "en")
    with pytest.raises(Conflict):
        services.kb_category_delete(actor=manager, source=Source.WEB, category=section.category)
    services.kb_category_delete(actor=manager, source=Source.WEB, category=category)
