"""``kefu demo``: a realistic help desk to try Kefu with, loaded through the same services as real data.

Idempotent: departments, agents, accounts and contacts are matched by their natural keys, and tickets
are only added until the requested number exists. The random generator is seeded, so two installations
get the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kefu.contacts.inputs import AccountInput, ContactInput
from kefu.contacts.models import Account, Contact
from kefu.contacts.services import account_create, contact_create
from kefu.core import events
from kefu.core.actors import Actor, Source
from kefu.core.maintenance import database_optimize
from kefu.core.outbox import outbox_deliver_pending
from kefu.demo import content
from kefu.demo.business_hours import load_business_hours
from kefu.demo.helpcenter import load_help_center
from kefu.demo.routing import load_routing
from kefu.org.models import Agent, Department, User
from kefu.org.services import administrator_ensure, agent_create, department_create
from kefu.search.services import tickets_reindex_all
from kefu.tickets import services as tickets
from kefu.tickets.inputs import CommentInput, ContactRef, MessageInput, ReplyInput, TicketCreateInput
from kefu.tickets.models import Ticket

ADMIN_EMAIL = "admin@kefu.local"
SYSTEM = Actor.system()
SOURCE = Source.IMPORT
STATUS_WEIGHTS = [("新建", 25), ("处理中", 25), ("搁置", 10), ("已关闭", 40)]
PRIORITY_WEIGHTS = [("紧急", 5), ("高", 20), ("中", 55), ("低", 20)]
CHANNEL_WEIGHTS = [("email", 55), ("portal", 15), ("phone", 12), ("chat", 10), ("web", 5), ("api", 3)]


def demo_password() -> str:
    """The password of every demo account: made once per installation and kept in ``KEFU_DATA_DIR``."""
    path = settings.DATA_DIR / "demo-password.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _departments() -> dict[str, Department]:
    for code, name, name_en, description in content.DEPARTMENTS:
        if not Department.objects.filter(code=code).exists():
            department_create(
                actor=SYSTEM, source=SOURCE, name=name, name_en=name_en, code=code, description=description
            )
    return {department.code: department for department in Department.objects.all()}


def _agents(departments: dict[str, Department], password: str) -> list[User]:
    administrator_ensure(email=ADMIN_EMAIL, password=password, name="管理员")
    for email, name, role, codes, language in content.AGENTS:
        if not User.objects.filter(email=email).exists():
            agent_create(
                actor=SYSTEM,
                source=SOURCE,
                email=email,
                name=name,
                role_key=role,
                password=password,
                language=language,
                department_ids=[departments[code].pk for code in codes],
            )
    return [agent.user for agent in Agent.objects.select_related("user").exclude(role__key="light_agent")]


def _accounts_and_contacts(
    rng: random.Random, count_accounts: int = 40, count_contacts: int = 200
) -> list[Contact]:
    existing_accounts = Account.objects.count()
    for index in range(existing_accounts, count_accounts):
        name = f"{content.ACCOUNT_PREFIXES[index % 10]}{content.ACCOUNT_NAMES[index % 8]}有限公司"
        account_create(
            actor=SYSTEM,
            source=SOURCE,
            data=AccountInput(
                name=f"{name} {index + 1:02d}",
                website=f"https://customer{index + 1}.example.com",
                industry=content.INDUSTRIES[index % len(content.INDUSTRIES)],
            ),
        )
    accounts = list(Account.objects.order_by("id"))
    for index in range(Contact.objects.count(), count_contacts):
        english = index % 5 == 0
        if english:
            name = content.ENGLISH_NAMES[index % len(content.ENGLISH_NAMES)]
            email = f"{name.lower().replace(' ', '.')}.{index}@example.com"
        else:
            name = rng.choice(content.SURNAMES) + rng.choice(content.GIVEN_NAMES)
            email = f"customer{index}@example.cn"
        contact_create(
            actor=SYSTEM,
            source=SOURCE,
            data=ContactInput(
                name=name,
                email=email,
                account_id=accounts[index % len(accounts)].pk,
                language="en" if english else "zh-hans",
                phone=f"+86 21 5{index:07d}",
            ),
        )
    return list(Contact.objects.order_by("id"))


def _conversation(
    rng: random.Random,
    ticket: Ticket,
    agents: list[User],
    english: bool,
    start: dt.datetime,
    now: dt.datetime,
) -> dt.datetime:
    at = start
    replies = content.AGENT_REPLIES_EN if english else content.AGENT_REPLIES_ZH
    follow_ups = content.CUSTOMER_FOLLOW_UPS_EN if english else content.CUSTOMER_FOLLOW_UPS_ZH
    for turn in range(rng.randint(1, 4)):
        at = min(now, at + dt.timedelta(minutes=rng.randint(10, 600)))
        agent = ticket.assignee or rng.choice(agents)
        tickets.ticket_reply(
            actor=Actor.agent(agent),
            source=SOURCE,
            ticket=ticket,
            data=ReplyInput(body=replies[min(turn, len(replies) - 1)], created_at=at),
        )
        if rng.random() < 0.6:
            at = min(now, at + dt.timedelta(minutes=rng.randint(5, 900)))
            tickets.ticket_receive(
                actor=Actor.contact(ticket.contact),
                source=SOURCE,
                ticket=ticket,
                data=MessageInput(
                    body=rng.choice(follow_ups).format(serial=rng.randint(100000, 999999)), created_at=at
                ),
            )
    if rng.random() < 0.4:
        tickets.ticket_comment(
            actor=Actor.agent(ticket.assignee or rng.choice(agents)),
            source=SOURCE,
            ticket=ticket,
            data=CommentInput(body=rng.choice(content.INTERNAL_NOTES), created_at=at),
        )
    return at


def _ticket(
    rng: random.Random,
    index: int,
    departments: dict[str, Department],
    agents: list[User],
    contacts: list[Contact],
) -> None:
    now = timezone.now()
    code, category, zh_subject, zh_body, en_subject, en_body = rng.choice(content.REQUESTS)
    contact = rng.choice(contacts)
    english = contact.language == "en"
    product = rng.choice(content.PRODUCTS)
    order = f"KF{rng.randint(10**7, 10**8 - 1)}"
    subject, body = (en_subject, en_body) if english else (zh_subject, zh_body)
    created_at = now - dt.timedelta(days=rng.uniform(0, 90))
    department = departments[code]
    candidates = [agent for agent in agents if department.pk in agent.agent.department_ids]
    status = _pick(rng, STATUS_WEIGHTS)
    assignee = rng.choice(candidates) if candidates and (status != "新建" or rng.random() < 0.3) else None
    ticket = tickets.ticket_create(
        actor=SYSTEM,
        source=SOURCE,
        data=TicketCreateInput(
            subject=subject.format(product=product, order=order),
            department_id=department.pk,
            contact=ContactRef(contact_id=contact.pk),
            description=body.format(product=product, order=order),
            priority=_pick(rng, PRIORITY_WEIGHTS),
            channel=_pick(rng, CHANNEL_WEIGHTS),
            assignee_id=assignee.pk if assignee else None,
            category=category,
            product=product,
            language="en" if english else "zh-hans",
            tags=[category] if rng.random() < 0.5 else [],
            created_at=created_at,
        ),
    )
    last = created_at
    if status != "新建":
        last = _conversation(rng, ticket, candidates or agents, english, created_at, now)
        tickets.ticket_update(
            actor=SYSTEM,
            source=SOURCE,
            ticket=ticket,
            changes={"status": status},
            at=min(now, last + dt.timedelta(minutes=rng.randint(1, 120))),
        )


def load_demo(*, tickets: int = 2000, stdout: TextIO | None = None) -> str:
    rng = random.Random(20261122)
    password = demo_password()
    with events.suppressed():
        with transaction.atomic():
            departments = _departments()
            load_business_hours(SYSTEM)
            agents = _agents(departments, password)
            for agent in agents:
                agent.agent.department_ids = set(agent.agent.departments.values_list("id", flat=True))
            contacts = _accounts_and_contacts(rng)
        existing = Ticket.objects.count()
        for index in range(existing, tickets):
            with transaction.atomic():
                _ticket(rng, index, departments, agents, contacts)
            if stdout is not None and (index + 1) % 500 == 0:
                stdout.write(f"  {index + 1} tickets\n")
    admin = Actor.agent(User.objects.get(email=ADMIN_EMAIL))
    with transaction.atomic():
        brand = load_help_center(admin)
        load_routing(admin)
    # The knowledge base reaches the search index through the outbox: deliver it now, so the help center
    # finds its articles before a worker has run.
    outbox_deliver_pending()
    indexed = tickets_reindex_all()
    database_optimize(full=True)
    return (
        f"Demo help desk ready: {Ticket.objects.count()} tickets ({indexed} indexed), "
        f"{Contact.objects.count()} contacts, {Account.objects.count()} accounts.\n"
        f"Sign in as {ADMIN_EMAIL} with password {password} (every demo agent uses the same password).\n"
        f"The help center is at /hc/{brand.slug}/."
    )
