"""The help center from a customer's browser, in zh-Hans and English.

* A customer signs up, confirms the address by the link in the email (read from a real SMTP server),
  submits a ticket with an attachment; an agent answers in the console; the customer reads the answer
  in the help center and in the email, and replies there, which the agent's ticket page shows.
* A home-page module an administrator made visible to signed-in customers only is not shown to an
  anonymous visitor, and is shown once the visitor signs in.

The widget, embedded on a page of another web site, is in test_widget.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import BrowserContext, Page, expect

from kefu.channels.email.models import Security
from kefu.channels.email.tests.factories import MailboxFactory
from kefu.contacts.models import Contact
from kefu.core.actors import Actor, Source
from kefu.kb.inputs import ArticleInput
from kefu.kb.services import kb_article_create
from kefu.kb.tests.factories import BrandFactory, CategoryFactory, SectionFactory
from kefu.org.models import Brand, User
from kefu.portal.models import Customer, HelpCenter, Submission
from kefu.portal.tests.factories import CustomerFactory, HelpCenterFactory
from kefu.tickets.models import Thread, Ticket
from tests.browser.conftest import BROWSER_LOCALES
from tests.browser.helpers import sign_in_as
from tests.browser.mail import SmtpSink, smtp_sink  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Lan-Shan-2026-hc"

TEXTS = {
    "zh-hans": {
        "sign_up": "注册",
        "your_name": "您的姓名",
        "email": "电子邮件",
        "password": "密码",
        "create_account": "创建我的账号",
        "check_email": "请查收邮件",
        "verify_subject": "请确认您在 Acme 商城 的邮箱地址",
        "confirmed": "您的邮箱地址已确认，欢迎！",
        "submit_ticket": "提交工单",
        "subject": "主题",
        "describe": "描述您的问题",
        "attachments": "附件",
        "send": "发送",
        "ticket_sent": "您的工单已提交，我们会尽快回复您。",
        "your_message": "您的消息",
        "message_sent": "您的消息已发送。",
        "sign_in": "登录",
        "popular": "热门文章",
        "popular_module": "热门文章",
        "signed_in_customers": "已登录客户",
        "move_up": "上移 热门文章",
        "save": "保存",
        "saved": "帮助中心已保存。",
    },
    "en": {
        "sign_up": "Sign up",
        "your_name": "Your name",
        "email": "Email",
        "password": "Password",
        "create_account": "Create my account",
        "check_email": "Check your email",
        "verify_subject": "Confirm your email address for Acme 商城",
        "confirmed": "Your email address is confirmed. Welcome!",
        "submit_ticket": "Submit a ticket",
        "subject": "Subject",
        "describe": "Describe your question",
        "attachments": "Attachments",
        "send": "Send",
        "ticket_sent": "Your ticket is sent. We will answer you soon.",
        "your_message": "Your message",
        "message_sent": "Your message is sent.",
        "sign_in": "Sign in",
        "popular": "Popular articles",
        "popular_module": "Popular articles",
        "signed_in_customers": "Signed-in customers",
        "move_up": "Move Popular articles up",
        "save": "Save",
        "saved": "The help center is saved.",
    },
}

INVOICE = b"%PDF-1.4\n% invoice 2026-118\n"


@contextmanager
def console_of(context: BrowserContext, base_url: str, lang: str, user: User) -> Iterator[Page]:
    """A tab in another browser profile, signed in to the console as ``user``, reading ``lang``;
    like the ``page`` fixture's, its script errors fail the test."""
    console = context.browser.new_context(base_url=base_url, locale=BROWSER_LOCALES[lang])
    console.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url}])
    console.route(re.compile(r"/tickets/stream/"), lambda route: route.fulfill(status=204))
    sign_in_as(console, base_url, user)
    tab = console.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
    finally:
        console.close()
    assert errors == [], f"JavaScript errors in the console: {errors}"


@pytest.fixture
def brand(desk, lang) -> Brand:
    """The Acme brand, whose help center sends tickets to the desk's department. Its ticket form asks
    the browser for a proof of work (the plain form's path; the widget's HTMX form is test_widget's)."""
    brand = BrandFactory(name="Acme 商城", slug="acme", default_language=lang)
    brand.departments.set([desk.department])
    HelpCenterFactory(brand=brand, proof_of_work=True)
    return brand


@pytest.fixture
def mail(settings, smtp_sink, brand, desk) -> SmtpSink:  # noqa: F811  (fixture)
    """Every email leaves through the test's SMTP server: the account emails through Django's
    connection, the agents' replies through the brand's mailbox of the department."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "noreply@acme.test"
    MailboxFactory(
        address="help@acme.test",
        display_name="Acme 客服",
        department=desk.department,
        brand=brand,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        smtp_security=Security.NONE,
    )
    return smtp_sink


def test_a_customer_signs_up_submits_a_ticket_and_follows_the_agents_answer(
    context, page: Page, desk, brand, mail, lang, text, live_server
):
    words = TEXTS[lang]
    address = "zhao.lei@example.cn"

    # Sign up; the account waits for the address to be confirmed.
    page.goto("/hc/acme/")
    page.get_by_role("link", name=words["sign_up"], exact=True).click()
    page.get_by_label(words["your_name"], exact=True).fill("赵磊")
    page.get_by_label(words["email"], exact=True).fill(address)
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["create_account"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check_email"])
    assert Customer.objects.get(user__email=address).user.is_active is False

    # The link in the email confirms the address and signs the customer in.
    verification = mail.wait_for(lambda m: address in m.rcpt_tos)
    # Django folds a long encoded subject onto its own line; unfolded, it keeps the fold's blank.
    assert verification.message["Subject"].strip() == words["verify_subject"]
    link = re.search(r"http://\S+/hc/acme/verify/\S+/", verification.text)
    assert link is not None, verification.text
    assert link.group(0).startswith(live_server.url)
    page.goto(link.group(0))
    expect(page.get_by_role("status").filter(has_text=words["confirmed"])).to_be_visible()
    assert Customer.objects.get(user__email=address).user.is_active is True

    # A ticket with an attachment.
    page.get_by_role("navigation").get_by_role("link", name=words["submit_ticket"], exact=True).click()
    page.get_by_label(words["subject"], exact=True).fill("发票金额不对")
    page.get_by_label(words["describe"], exact=True).fill("订单 118 的发票金额少了运费，附件是收到的发票。")
    page.get_by_label(words["attachments"], exact=True).set_input_files(
        files=[{"name": "发票-118.pdf", "mimeType": "application/pdf", "buffer": INVOICE}]
    )
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_role("status").filter(has_text=words["ticket_sent"])).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("发票金额不对")
    expect(page.get_by_role("link", name="发票-118.pdf", exact=True)).to_be_visible()
    ticket = Ticket.objects.get(subject="发票金额不对")
    assert (ticket.channel, ticket.brand_id, ticket.department_id) == ("portal", brand.pk, desk.department.pk)
    assert ticket.contact == Contact.objects.get(email=address)
    assert Submission.objects.get(brand=brand).proof  # the browser solved the puzzle
    first = Thread.objects.get(ticket=ticket)
    assert [(a.filename, a.size) for a in first.attachments.all()] == [("发票-118.pdf", len(INVOICE))]

    # The agent answers in the console, in another browser profile.
    with console_of(context, live_server.url, lang, desk.agent.user) as agent_page:
        agent_page.goto(f"/tickets/{ticket.pk}/")
        expect(agent_page.get_by_role("heading", level=1)).to_contain_text("发票金额不对")
        expect(agent_page.get_by_role("link", name="发票-118.pdf").first).to_be_visible()
        agent_page.get_by_role("tab", name=text.reply_tab, exact=True).click()
        agent_page.get_by_role("textbox", name=text.reply_to_customer, exact=True).click()
        agent_page.keyboard.type("您好，运费已补开发票，请查收。")
        agent_page.get_by_role("button", name=text.send_reply, exact=True).click()
        expect(agent_page.get_by_test_id("thread").filter(has_text="运费已补开发票")).to_have_count(1)

        # The customer reads the answer in the help center and in the email from the brand's address.
        page.reload()
        answer = page.get_by_test_id("message").filter(has_text="运费已补开发票")
        expect(answer).to_have_count(1)
        emailed = mail.wait_for(lambda m: address in m.rcpt_tos and "运费已补开发票" in m.text)
        assert "help@acme.test" in emailed.message["From"]
        assert "发票金额不对" in emailed.message["Subject"]

        # ...and replies there; the agent's ticket page shows it.
        page.get_by_label(words["your_message"], exact=True).fill("收到了，谢谢！")
        page.get_by_role("button", name=words["send"], exact=True).click()
        expect(page.get_by_role("status").filter(has_text=words["message_sent"])).to_be_visible()
        expect(page.get_by_test_id("message").filter(has_text="收到了，谢谢！")).to_have_count(1)
        agent_page.reload()
        expect(agent_page.get_by_test_id("thread").filter(has_text="收到了，谢谢！")).to_have_count(1)
    replies = Thread.objects.filter(ticket=ticket).order_by("pk")
    assert [(t.direction, t.channel) for t in replies] == [
        ("in", "portal"),
        ("out", "email"),
        ("in", "portal"),
    ]


@pytest.fixture
def popular_article(desk, brand, lang):
    section = SectionFactory(category=CategoryFactory(brand=brand, name="订单", language=lang), name="发票")
    return kb_article_create(
        actor=Actor.agent(desk.admin.user),
        source=Source.WEB,
        data=ArticleInput(
            section_id=section.pk,
            title="如何开具发票",
            body="<p>在订单页面申请发票。</p>",
            status="published",
            language=lang,
        ),
    )


def test_a_module_for_signed_in_customers_is_hidden_from_anonymous_visitors(
    context, page: Page, desk, brand, popular_article, lang, live_server
):
    words = TEXTS[lang]
    customer = CustomerFactory(contact__email="sun.li@example.cn", contact__name="孙丽", language=lang)

    # The administrator moves "Popular articles" up and shows it to signed-in customers only.
    with console_of(context, live_server.url, lang, desk.admin.user) as settings_page:
        settings_page.goto(f"/settings/help-centers/{brand.pk}/")
        modules = settings_page.get_by_test_id("hc-modules")
        modules.get_by_role("button", name=words["move_up"], exact=True).click()
        modules.get_by_label(words["popular_module"], exact=True).select_option(
            label=words["signed_in_customers"]
        )
        settings_page.get_by_role("button", name=words["save"], exact=True).click()
        expect(settings_page.get_by_text(words["saved"], exact=True)).to_be_visible()
    order = [m["key"] for m in HelpCenter.objects.get(brand=brand).modules]
    assert order[:3] == ["search", "popular", "categories"]

    # An anonymous visitor does not see the module...
    page.goto("/hc/acme/")
    expect(page.get_by_role("heading", name=words["popular"], exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="如何开具发票", exact=True)).to_have_count(0)
    assert "如何开具发票" not in page.content()

    # ...a signed-in customer does.
    page.get_by_role("navigation").get_by_role("link", name=words["sign_in"], exact=True).click()
    page.get_by_label(words["email"], exact=True).fill(customer.user.email)
    page.get_by_label(words["password"], exact=True).fill(desk.password)
    page.get_by_role("main").get_by_role("button", name=words["sign_in"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/hc/acme/tickets/$"))
    page.goto("/hc/acme/")
    popular = page.locator("[data-module=popular]")
    expect(popular.get_by_role("heading", name=words["popular"], exact=True)).to_be_visible()
    expect(popular.get_by_role("link", name="如何开具发票", exact=True)).to_be_visible()
    assert page.locator("[data-module]").evaluate_all("els => els.map(e => e.dataset.module)")[:2] == [
        "search",
        "popular",
    ]
