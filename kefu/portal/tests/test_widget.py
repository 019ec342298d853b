from __future__ import annotations

import gzip

import pytest
from django.test import Client

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.services import kb_article_create
from kefu.tickets.models import Ticket


def test_widget_js_is_small_and_cacheable(db):
    response = Client().get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert len(gzip.compress(response.content, compresslevel=6)) <= 15 * 1024
    assert b"data-brand" in response.content


def test_widget_js_is_the_minified_build_of_its_source(db):
    """./scripts/run and ./scripts/test build it (esbuild from node_modules); the source's comments
    and layout stay out of what every visitor of a customer's site downloads."""
    from kefu.portal.views.widget import WIDGET_BUILD, WIDGET_SOURCE

    served = Client().get("/widget.js").content
    assert served == WIDGET_BUILD.read_bytes()
    assert b"/*" not in served
    assert b"\n  " not in served
    assert len(gzip.compress(served, compresslevel=6)) < len(gzip.compress(WIDGET_SOURCE.read_bytes(), 6))
    assert served.startswith(b'(function(){"use strict";')


def test_the_panel_may_be_framed_only_by_the_brands_origins(brand):
    brand.allowed_origins = ["https://shop.example.com"]
    brand.save()
    response = Client().get("/hc/acme/widget/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' https://shop.example.com"
    assert "X-Frame-Options" not in response
    assert Client().get("/hc/acme/").get("X-Frame-Options") == "DENY"


@pytest.fixture
def refund_article(admin_agent, section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return kb_article_create(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            data=ArticleInput(
                section_id=section.pk,
                title="如何申请退款",
                body="<p>在订单页点击申请退款。</p>",
                status="published",
            ),
        )


def test_the_bot_answers_with_the_best_articles_or_says_it_does_not_know(refund_article):
    known = Client().post(
        "/hc/acme/widget/ask/?lang=en", {"q": "怎么申请退款"}, headers={"HX-Request": "true"}
    )
    assert known.status_code == 200
    assert known.context["answers"][0][0].article.pk == refund_article.pk
    assert "These articles may answer your question:" in known.content.decode()
    unknown = Client().post(
        "/hc/acme/widget/ask/?lang=en", {"q": "火星天气预报"}, headers={"HX-Request": "true"}
    )
    assert unknown.context["answers"] == []
    assert "I don't know the answer to that." in unknown.content.decode()


def test_a_ticket_from_the_widget_has_the_widget_channel(brand):
    response = Client().post(
        "/hc/acme/widget/ticket/",
        {"name": "王芳", "email": "wang.fang@example.cn", "subject": "物流", "message": "还没发货"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.brand_id) == ("widget", brand.pk)
    assert f"工单编号 {ticket.shown_number}。" in response.content.decode()


def test_a_signed_in_customer_sees_their_tickets_in_the_widget(
    customer, customer_client, other_customer, create_ticket
):
    from kefu.tickets.inputs import ContactRef

    create_ticket(contact=ContactRef(contact=customer.contact), subject="我的工单")
    create_ticket(contact=ContactRef(contact=other_customer.contact), subject="别人的工单")
    html = customer_client.get("/hc/acme/widget/tickets/").content.decode()
    assert "我的工单" in html
    assert "别人的工单" not in html
    assert "别人的工单" not in Client().get("/hc/acme/widget/tickets/").content.decode()


def test_an_anonymous_visitor_on_another_site_needs_no_csrf_cookie(brand, refund_article):
    """In a third-party iframe the browser keeps no help-desk cookie: the panel's forms work without one."""
    client = Client(enforce_csrf_checks=True)
    asked = client.post("/hc/acme/widget/ask/?lang=en", {"q": "怎么申请退款"}, headers={"HX-Request": "true"})
    assert asked.status_code == 200
    assert asked.context["answers"][0][0].article.pk == refund_article.pk
    sent = client.post(
        "/hc/acme/widget/ticket/",
        {"name": "王芳", "email": "wang.fang@example.cn", "subject": "物流", "message": "还没发货"},
        headers={"HX-Request": "true"},
    )
    assert sent.status_code == 200
    assert Ticket.objects.get().channel == "widget"


def test_a_signed_in_customers_widget_forms_are_checked_against_csrf(customer):
    from kefu.org.tests.factories import PASSWORD

    client = Client(enforce_csrf_checks=True)
    client.login(username=customer.user.email, password=PASSWORD)
    forged = client.post(
        "/hc/acme/widget/ticket/",
        {"subject": "伪造", "message": "不是我发的"},
        headers={"HX-Request": "true"},
    )
    assert forged.status_code == 403
    assert not Ticket.objects.exists()
    assert client.post("/hc/acme/widget/ask/", {"q": "退款"}).status_code == 403

    token = client.get("/hc/acme/widget/ticket/").context["csrf_token"]
    sent = client.post(
        "/hc/acme/widget/ticket/",
        {"subject": "物流", "message": "还没发货"},
        headers={"HX-Request": "true", "X-CSRFToken": str(token)},
    )
    assert sent.status_code == 200
    assert Ticket.objects.get().contact_id == customer.contact_id
