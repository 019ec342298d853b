"""The global search page and its quick dropdown: scoping, ticket numbers, Chinese, bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.contacts.tests.factories import AccountFactory, ContactFactory
from kefu.org.tests.factories import UserFactory
from kefu.search.selectors import ticket_number_in
from kefu.tickets.inputs import ContactRef

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def indexed(create_ticket, django_capture_on_commit_callbacks):
    """Create a ticket and let the search index see it, as the worker would after the commit."""

    def make(**values):
        with django_capture_on_commit_callbacks(execute=True):
            return create_ticket(**values)

    return make


def subjects(response) -> list[str]:
    return [ticket.subject for ticket in response.context["results"].tickets.items]


@pytest.mark.django_db
def test_chinese_words_find_tickets_contacts_and_accounts(signed_in, indexed):
    indexed(subject="打印机无法连接网络", contact=ContactRef(email="wang.fang@example.cn", name="王芳"))
    indexed(subject="重复扣款申请退款")
    ContactFactory(name="打印机维修部")
    AccountFactory(name="打印机世界有限公司")
    response = signed_in.get("/search/", {"q": "打印机"})
    assert response.status_code == 200
    results = response.context["results"]
    assert subjects(response) == ["打印机无法连接网络"]
    assert [c.name for c in results.contacts.items] == ["打印机维修部"]
    assert [a.name for a in results.accounts.items] == ["打印机世界有限公司"]
    assert (results.tickets.count, results.contacts.count, results.accounts.count) == (1, 1, 1)
    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_another_departments_tickets_are_never_found(signed_in, indexed, other_department):
    indexed(subject="打印机卡纸")
    secret = indexed(subject="打印机采购合同", department_id=other_department.pk)
    response = signed_in.get("/search/", {"q": "打印机"})
    assert subjects(response) == ["打印机卡纸"]
    assert response.context["results"].tickets.count == 1
    assert "打印机采购合同" not in response.content.decode()
    by_number = signed_in.get("/search/", {"q": str(secret.number)})
    assert subjects(by_number) == []


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["{n}", "#{n}", " #{n} "])
def test_ticket_numbers_match_with_or_without_the_prefix(signed_in, indexed, form):
    wanted = indexed(subject="路由器断线")
    indexed(subject="其他问题")
    response = signed_in.get("/search/", {"q": form.format(n=wanted.number)})
    assert subjects(response) == ["路由器断线"]
    assert f"#{wanted.number}" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "prefix", "number"),
    [
        ("KF-42", "KF-", 42),
        ("kf-42", "KF-", 42),
        ("#42", "KF-", 42),
        ("42", "KF-", 42),
        ("42", "", 42),
        ("KF-", "KF-", None),
        ("KF-4x", "KF-", None),
        ("４２", "", None),
        ("9" * 19, "", None),
    ],
)
def test_ticket_number_in_a_query(query, prefix, number):
    assert ticket_number_in(query, prefix) == number


@pytest.mark.django_db
def test_contacts_are_found_by_email_and_phone(signed_in):
    wang = ContactFactory(name="王芳", email="wang.fang@example.cn", phone="+86 21 5555 0101")
    ContactFactory(name="李雷", email="li.lei@example.cn")
    for q in ("WANG.FANG@", "5555 0101"):
        response = signed_in.get("/search/", {"q": q})
        assert [c.pk for c in response.context["results"].contacts.items] == [wang.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "notice"),
    [
        ("", "Type a ticket number, a name, an email address, a phone number or words from a ticket."),
        ("   ", "Type a ticket number, a name, an email address, a phone number or words from a ticket."),
        ("打" * 201, "Search for at most 200 characters."),
    ],
)
def test_empty_or_too_long_queries_get_a_friendly_message(signed_in, q, notice):
    response = signed_in.get("/search/", {"q": q})
    assert response.status_code == 200
    assert response.context["notice"] == notice
    assert response.context["results"] is None
    assert notice in response.content.decode()


@pytest.mark.django_db
def test_punctuation_only_finds_nothing_rather_than_everything(signed_in, indexed):
    indexed(subject="打印机无法连接网络")
    response = signed_in.get("/search/", {"q": "！？。"})
    assert response.status_code == 200
    assert response.context["results"].total == 0
    assert "Nothing matches" in response.content.decode()


@pytest.mark.django_db
def test_htmx_request_gets_the_quick_dropdown(signed_in, indexed):
    for n in range(7):
        indexed(subject=f"打印机问题{n}")
    response = signed_in.get("/search/", {"q": "打印机"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="search-quick"' in html
    assert len(response.context["results"].tickets.items) == 5
    assert response.context["results"].tickets.count == 7
    assert "See all results (7)" in html


@pytest.mark.django_db
def test_counts_stop_at_the_cap(signed_in):
    ContactFactory.create_batch(101, name="张伟")
    results = signed_in.get("/search/", {"q": "张伟"}).context["results"]
    assert (results.contacts.count, results.contacts.count_is_capped, len(results.contacts.items)) == (
        101,
        True,
        20,
    )


@pytest.mark.django_db
def test_who_may_search(client, light_agent, indexed):
    indexed(subject="打印机无法连接网络")
    ContactFactory(name="打印机维修部")
    response = client.get("/search/", {"q": "打印机"})
    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=/search/%3Fq%3D%25E6%2589%2593%25E5%258D%25B0%25E6%259C%25BA",
    )
    assert client.get("/search/", {"q": "打印机"}, **HTMX).status_code == 401
    client.force_login(UserFactory())
    assert client.get("/search/", {"q": "打印机"}).status_code == 403
    client.force_login(light_agent.user)
    results = client.get("/search/", {"q": "打印机"}).context["results"]
    assert ([t.subject for t in results.tickets.items], [c.name for c in results.contacts.items]) == (
        ["打印机无法连接网络"],
        ["打印机维修部"],
    )


@pytest.mark.django_db
def test_query_count_does_not_grow_with_results(signed_in, indexed):
    def add(n):
        for i in range(n):
            indexed(
                subject=f"打印机{i}",
                contact=ContactRef(email=f"printer{i}@example.cn", name=f"打印机客户{i}"),
            )
            AccountFactory(name=f"打印机公司{i}")

    def queries() -> int:
        signed_in.get("/search/", {"q": "打印机"})
        with CaptureQueriesContext(connection) as captured:
            signed_in.get("/search/", {"q": "打印机"})
        return len(captured)

    add(3)
    few = queries()
    add(27)
    assert queries() == few
