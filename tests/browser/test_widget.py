"""The widget on another web site, in zh-Hans and English: a page served from another local port
embeds ``/widget.js``; the visitor searches the knowledge base, asks the answer bot and sends a ticket.

The shop is served from 127.0.0.1 and the help desk from the live server's ``localhost``: two sites,
so the panel is a third-party iframe, as on a customer's real web site (the browser keeps none of the
help desk's ``SameSite=Lax`` cookies there).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.services import kb_article_create
from kefu.kb.tests.factories import BrandFactory, CategoryFactory, SectionFactory
from kefu.org.models import Brand
from kefu.portal.models import Submission
from kefu.portal.tests.factories import CustomerFactory, HelpCenterFactory
from kefu.tickets.inputs import ContactRef, TicketCreateInput
from kefu.tickets.models import Thread, Ticket
from kefu.tickets.services import ticket_create
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "launcher": "帮助",
        "close": "关闭",
        "my_tickets": "我的工单",
        "contact_us": "联系我们",
        "frame": "帮助中心",
        "articles": "文章",
        "search_articles": "搜索文章",
        "search": "搜索",
        "query": "退款",
        "article": "如何申请退款",
        "ask_tab": "提问",
        "question_label": "提个问题",
        "question": "我想退款，钱多久能退回来？",
        "ask": "提问",
        "bot_knows": "以下文章或许能解答您的问题：",
        "send_a_ticket": "提交工单",
        "your_name": "您的姓名",
        "email": "电子邮件",
        "subject": "主题",
        "describe": "描述您的问题",
        "send": "发送",
        "sent": "您的工单已提交",
    },
    "en": {
        "launcher": "Help",
        "close": "Close",
        "my_tickets": "My tickets",
        "contact_us": "Contact us",
        "frame": "Help center",
        "articles": "Articles",
        "search_articles": "Search articles",
        "search": "Search",
        "query": "refund",
        "article": "How to get a refund",
        "ask_tab": "Ask",
        "question_label": "Ask a question",
        "question": "How long does a refund take to come back?",
        "ask": "Ask",
        "bot_knows": "These articles may answer your question:",
        "send_a_ticket": "Send a ticket",
        "your_name": "Your name",
        "email": "Email",
        "subject": "Subject",
        "describe": "Describe your question",
        "send": "Send",
        "sent": "Your ticket is sent",
    },
}

ARTICLES = {
    "zh-hans": ("如何申请退款", "<p>在订单页面点击“申请退款”，款项在三个工作日内原路退回。</p>"),
    "en": (
        "How to get a refund",
        "<p>Open the order and choose Request a refund: the money is back within three working days.</p>",
    ),
}


@pytest.fixture
def brand(desk, lang) -> Brand:
    """The Acme brand; its help center asks the visitor's browser for a proof of work."""
    brand = BrandFactory(name="Acme 商城", slug="acme", default_language=lang)
    brand.departments.set([desk.department])
    HelpCenterFactory(brand=brand, proof_of_work=True)
    return brand


@pytest.fixture
def refund_articles(desk, brand) -> dict[str, object]:
    """A published public article per language, and an agents-only one the widget must never show."""
    actor = Actor.agent(desk.admin.user)
    written = {}
    for language, (title, body) in ARTICLES.items():
        category = CategoryFactory(brand=brand, name=f"订单 {language}", language=language)
        section = SectionFactory(category=category, name=f"退款 {language}")
        written[language] = kb_article_create(
            actor=actor,
            source=Source.WEB,
            data=ArticleInput(
                section_id=section.pk, title=title, body=body, status="published", language=language
            ),
        )
        kb_article_create(
            actor=actor,
            source=Source.WEB,
            data=ArticleInput(
                section_id=section.pk,
                title=f"{title} (internal)",
                body=body,
                status="published",
                language=language,
                visibility="agents",
            ),
        )
    return written


@pytest.fixture
def shop(brand, live_server) -> Iterator[int]:
    """The port of a page of the brand's web site, embedding the widget.

    Both its origins are allowed: ``127.0.0.1`` (another site than the help desk's ``localhost``)
    and ``localhost`` (the same site, another port)."""
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title>'
        "<style>button { background: red !important; }</style></head>"
        "<body><h1>Acme shop</h1>"
        f'<script src="{live_server.url}/widget.js" data-brand="acme" async></script>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    brand.allowed_origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    brand.save(update_fields=["allowed_origins"])
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def open_panel(page: Page, words: dict[str, str]) -> FrameLocator:
    page.get_by_role("button", name=words["launcher"], exact=True).click()
    frame = page.frame_locator(f'iframe[title="{words["frame"]}"]')
    expect(frame.get_by_role("heading", level=1).or_(frame.locator("body"))).to_be_visible()
    return frame


def test_the_widget_on_another_site_searches_answers_and_sends_a_ticket(
    page: Page, desk, brand, refund_articles, shop, lang, live_server
):
    words = TEXTS[lang]
    assert urlsplit(live_server.url).hostname == "localhost", "the shop must be another site"
    page.goto(f"http://127.0.0.1:{shop}/")
    expect(page.get_by_role("heading", name="Acme shop")).to_be_visible()
    launcher = page.get_by_role("button", name=words["launcher"], exact=True)
    # The launcher lives in a shadow root: the shop's `button { background: red !important }` misses it.
    expect(launcher).to_have_css("background-color", "rgb(32, 107, 196)")
    panel = open_panel(page, words)

    # Knowledge-base search: the public article, never the agents-only one.
    panel.get_by_role("link", name=words["articles"], exact=True).click()
    panel.get_by_role("searchbox", name=words["search_articles"]).fill(words["query"])
    panel.get_by_role("button", name=words["search"], exact=True).click()
    results = panel.get_by_test_id("widget-results")
    expect(results.get_by_role("link", name=words["article"], exact=True)).to_be_visible()
    expect(results).not_to_contain_text("internal")
    results.get_by_role("link", name=words["article"], exact=True).click()
    expect(panel.get_by_role("heading", name=words["article"], exact=True)).to_be_visible()

    # The answer bot answers with the article, then offers the ticket form with the question.
    panel.get_by_role("link", name=words["ask_tab"], exact=True).click()
    panel.get_by_label(words["question_label"], exact=True).fill(words["question"])
    panel.get_by_role("button", name=words["ask"], exact=True).click()
    expect(panel.get_by_test_id("bot-answer")).to_have_text(words["bot_knows"])
    expect(panel.get_by_role("link", name=words["article"], exact=True)).to_be_visible()
    expect(panel.locator("#w-body")).not_to_contain_text("internal")
    panel.get_by_role("link", name=words["send_a_ticket"], exact=True).click()

    message = panel.get_by_label(words["describe"], exact=True)
    expect(message).to_have_value(words["question"])
    panel.get_by_label(words["your_name"], exact=True).fill("周敏")
    panel.get_by_label(words["email"], exact=True).fill("zhou.min@example.cn")
    panel.get_by_label(words["subject"], exact=True).fill("退款还没到账")
    panel.get_by_role("button", name=words["send"], exact=True).click()
    expect(panel.get_by_role("heading", name=words["sent"], exact=True)).to_be_visible()

    ticket = Ticket.objects.get(subject="退款还没到账")
    expect(panel.get_by_test_id("widget-ticket-sent")).to_contain_text(str(ticket.number))
    assert (ticket.channel, ticket.brand_id, ticket.department_id) == ("widget", brand.pk, desk.department.pk)
    assert ticket.contact.email == "zhou.min@example.cn"
    assert Thread.objects.get(ticket=ticket).body_text.strip() == words["question"]
    assert Submission.objects.get().proof  # the browser solved the puzzle

    # Escape, pressed while the panel has the focus, closes it and gives the focus back to the launcher.
    panel.get_by_role("heading", name=words["sent"], exact=True).click()
    page.keyboard.press("Escape")
    launcher = page.get_by_role("button", name=words["launcher"], exact=True)
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()

    # The page opens it from its own button; the panel's × closes it.
    page.evaluate("window.kefuWidget.open()")
    expect(page.get_by_role("dialog")).to_be_visible()
    panel.get_by_role("button", name=words["close"], exact=True).click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_a_signed_in_customer_on_the_same_site_sees_their_tickets_and_writes_in_the_widget(
    context, page: Page, desk, brand, shop, lang, live_server
):
    """On a page of the same site the help-desk session reaches the panel: the customer's tickets, and
    a ticket form that does not ask who they are (sent with the CSRF token a session requires)."""
    words = TEXTS[lang]
    customer = CustomerFactory(contact__email="zhou.min@example.cn", contact__name="周敏", language=lang)
    ticket_create(
        actor=Actor.contact(customer.contact),
        source=Source.PORTAL,
        data=TicketCreateInput(
            subject="发票抬头开错了",
            description="请帮我改成公司抬头。",
            department_id=desk.department.pk,
            contact=ContactRef(contact_id=customer.contact_id),
            brand_id=brand.pk,
        ),
    )
    sign_in_as(context, live_server.url, customer.user)
    page.goto(f"http://localhost:{shop}/")
    panel = open_panel(page, words)

    panel.get_by_role("link", name=words["my_tickets"], exact=True).click()
    expect(panel.get_by_role("link", name="发票抬头开错了", exact=True)).to_be_visible()

    panel.get_by_role("link", name=words["contact_us"], exact=True).click()
    expect(panel.get_by_label(words["your_name"], exact=True)).to_have_count(0)
    panel.get_by_label(words["subject"], exact=True).fill("还想再开一张发票")
    panel.get_by_label(words["describe"], exact=True).fill("订单 120 也需要发票。")
    panel.get_by_role("button", name=words["send"], exact=True).click()
    expect(panel.get_by_role("heading", name=words["sent"], exact=True)).to_be_visible()
    created = Ticket.objects.get(subject="还想再开一张发票")
    assert (created.channel, created.contact_id, created.brand_id) == (
        "widget",
        customer.contact_id,
        brand.pk,
    )
