import pytest

from kefu.core.actors import Actor, Source
from kefu.core.event_types import EventType
from kefu.search.analysis import analyse, query_terms
from kefu.search.selectors import filter_tickets_by_text
from kefu.search.services import tickets_index, tickets_reindex_all
from kefu.tickets.inputs import CommentInput, ReplyInput
from kefu.tickets.models import Ticket
from kefu.tickets.services import ticket_comment, ticket_delete, ticket_reply


def _found(query):
    return sorted(filter_tickets_by_text(Ticket.objects.all(), query).values_list("subject", flat=True))


def test_chinese_is_cut_into_words_and_queries_into_words_the_documents_contain():
    document = analyse("打印机无法连接网络")
    assert document.words.split() == ["打印", "印机", "打印机", "无法", "连接", "网络"]
    assert document.grams.split() == ["打印", "印机", "机无", "无法", "法连", "连接", "接网", "网络"]
    assert set(query_terms("打印机 网络").words) <= set(document.words.split())
    assert query_terms("Printer, OFFLINE!").words == ("printer", "offlin")
    assert not query_terms("！？。，")


@pytest.fixture
def printer(create_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return create_ticket(subject="打印机无法连接网络", description="Printer shows error E-42")


@pytest.fixture
def refund(create_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return create_ticket(subject="重复扣款申请退款", description="Charged twice")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("打印机", ["打印机无法连接网络"]),
        ("网络 打印机", ["打印机无法连接网络"]),
        ("退款", ["重复扣款申请退款"]),
        ("printer", ["打印机无法连接网络"]),
        ("CHARGED", ["重复扣款申请退款"]),
        ("打印机 退款", ["打印机无法连接网络", "重复扣款申请退款"]),
        ("路由器", []),
    ],
)
def test_tickets_are_found_by_subject_and_description(printer, refund, query, expected):
    assert _found(query) == expected


@pytest.mark.django_db
def test_replies_and_comments_are_searchable_once_committed(
    printer, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=printer,
            data=ReplyInput(body="请恢复出厂设置"),
        )
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=printer,
            data=CommentInput(body="疑似固件缺陷"),
        )
    assert _found("出厂设置") == ["打印机无法连接网络"]
    assert _found("固件") == ["打印机无法连接网络"]


@pytest.mark.django_db
def test_trashed_tickets_leave_the_index(printer, django_capture_on_commit_callbacks, department):
    from kefu.org.tests.factories import AgentFactory

    supervisor = AgentFactory(role_key="supervisor", departments=[department])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_delete(actor=Actor.agent(supervisor.user), source=Source.API, ticket=printer)
    assert _found("打印机") == []


@pytest.mark.django_db
def test_reindexing_is_repeatable(printer, refund):
    assert tickets_index([printer.pk, printer.pk]) == 1
    assert tickets_reindex_all(batch_size=1) == 2
    assert _found("打印机") == ["打印机无法连接网络"]


@pytest.mark.django_db
def test_query_syntax_characters_are_searched_as_text(printer):
    for hostile in ["AND OR NOT", "NEAR(x", "x'; DROP TABLE x; --", "a:b"]:
        assert _found(hostile) == []
    for punctuation_only in ['"', "*", "^", "()"]:
        assert _found(punctuation_only) == ["打印机无法连接网络"], "a query without words does not filter"
    assert _found("E-42") == ["打印机无法连接网络"]


@pytest.mark.django_db
def test_several_events_of_one_transaction_index_the_ticket_once_with_all_its_text(
    create_ticket, agent, django_capture_on_commit_callbacks, published
):
    from celery.signals import task_prerun

    queued: list[list[int]] = []

    def record(sender=None, args=(), **_kwargs) -> None:
        if sender is not None and sender.name == "search.index_tickets":
            queued.append(list(args[0]))

    # The outbox consumer hands a whole batch of events to one indexing job.
    task_prerun.connect(record, weak=False)
    try:
        _reply_and_comment_in_one_transaction(create_ticket, agent, django_capture_on_commit_callbacks)
    finally:
        task_prerun.disconnect(record)
    ticket = Ticket.objects.get(subject="打印机无法连接网络")
    # One job for the three events of the transaction; the reply, sent by email after the commit,
    # records its delivery in a transaction of its own, which makes the second job.
    assert queued == [[ticket.pk], [ticket.pk]]
    delivered = published(EventType.TICKET_DELIVERY_UPDATED)
    assert [payload["changes"][0]["new"]["status"] for payload in delivered] == ["sent"]
    assert _found("出厂设置") == ["打印机无法连接网络"]
    assert _found("固件") == ["打印机无法连接网络"]


def _reply_and_comment_in_one_transaction(create_ticket, agent, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ticket = create_ticket(subject="打印机无法连接网络")
        ticket_reply(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=ReplyInput(body="请恢复出厂设置"),
        )
        ticket_comment(
            actor=Actor.agent(agent.user),
            source=Source.WEB,
            ticket=ticket,
            data=CommentInput(body="疑似固件缺陷"),
        )
