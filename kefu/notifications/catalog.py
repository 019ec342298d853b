"""The built-in notifications: who they are for, whom they go to by default, and their shipped words.

Every notification has a key (``customer.agent_reply``), an audience, the recipient kinds an
administrator may choose for it, the default ones, whether it is on by default, the channels an agent
gets it through unless they choose otherwise, and a default template in Chinese and English.
Other apps add notifications with :func:`register` (the SLA app: warnings and breaches), and make them
happen with ``kefu.notifications.services.dispatch.notify``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("zh-hans", "en")

# Recipient kinds.
CONTACT = "contact"
CC = "cc"
ASSIGNEE = "assignee"
TEAM = "team"
FOLLOWERS = "followers"
SUPERVISORS = "supervisors"
MENTIONED = "mentioned"
DEPARTMENT = "department"

RECIPIENT_LABELS: dict[str, Promise] = {
    CONTACT: _("Contact"),
    CC: _("People in CC"),
    ASSIGNEE: _("Assignee"),
    TEAM: _("Team"),
    FOLLOWERS: _("Followers"),
    SUPERVISORS: _("Supervisors"),
    MENTIONED: _("Mentioned agents"),
    DEPARTMENT: _("Agents of the department"),
}
CUSTOMER_KINDS = frozenset({CONTACT, CC})
AGENT_KINDS = frozenset({ASSIGNEE, TEAM, FOLLOWERS, SUPERVISORS, MENTIONED, DEPARTMENT})
ALL_KINDS = (CONTACT, CC, ASSIGNEE, TEAM, FOLLOWERS, SUPERVISORS)

AUDIENCE_LABELS: dict[str, Promise] = {
    "customer": _("Customers"),
    "agent": _("Agents"),
    "supervisor": _("Supervisors"),
}


@dataclass(frozen=True)
class Template:
    subject: str
    body_html: str
    body_text: str


@dataclass(frozen=True)
class NotificationType:
    key: str
    audience: str
    label: Promise
    recipient_kinds: tuple[str, ...]
    default_recipients: tuple[str, ...]
    templates: dict[str, Template]
    enabled: bool = True
    agent_channels: tuple[str, ...] = ("in_app",)
    extra: dict[str, str] = field(default_factory=dict)


_types: dict[str, NotificationType] = {}


def register(notification: NotificationType) -> NotificationType:
    _types[notification.key] = notification
    return notification


def get(key: str) -> NotificationType | None:
    return _types.get(key)


def all_types() -> list[NotificationType]:
    return list(_types.values())


def default_template(key: str, language: str) -> Template:
    return _types[key].templates[language]


_FOOTER_ZH_HTML = (
    '<p>工单 <a href="{{ ticket.portal_url }}">{{ ticket.number }}</a>：{{ ticket.subject }}</p>'
)
_FOOTER_EN_HTML = (
    '<p>Ticket <a href="{{ ticket.portal_url }}">{{ ticket.number }}</a>: {{ ticket.subject }}</p>'
)
_FOOTER_ZH_TEXT = "工单 {{ ticket.number }}：{{ ticket.subject }}\n{{ ticket.portal_url }}"
_FOOTER_EN_TEXT = "Ticket {{ ticket.number }}: {{ ticket.subject }}\n{{ ticket.portal_url }}"
_AGENT_ZH_HTML = '<p><a href="{{ ticket.url }}">{{ ticket.number }} {{ ticket.subject }}</a></p>'
_AGENT_EN_HTML = _AGENT_ZH_HTML
_AGENT_TEXT = "{{ ticket.number }} {{ ticket.subject }}\n{{ ticket.url }}"


def _customer(key: str, label: Promise, zh: tuple[str, str], en: tuple[str, str], **kwargs: object) -> None:
    """A customer notification: ``zh``/``en`` are (subject, first paragraph), with the ticket footer."""
    templates = {}
    for language, (subject, lead), footer_html, footer_text, hello in (
        ("zh-hans", zh, _FOOTER_ZH_HTML, _FOOTER_ZH_TEXT, "{{ contact.name }}，您好："),
        ("en", en, _FOOTER_EN_HTML, _FOOTER_EN_TEXT, "Hello {{ contact.name }},"),
    ):
        templates[language] = Template(
            subject=subject,
            body_html=f"<p>{hello}</p>\n<p>{lead}</p>\n{{{{ latest_reply }}}}\n{footer_html}",
            body_text=f"{hello}\n\n{lead}\n\n{{{{ latest_reply }}}}\n\n{footer_text}",
        )
    register(
        NotificationType(
            key=key,
            audience="customer",
            label=label,
            recipient_kinds=ALL_KINDS,
            default_recipients=(CONTACT, CC),
            templates=templates,
            **kwargs,  # type: ignore[arg-type]
        )
    )


def _agent(
    key: str,
    label: Promise,
    zh: tuple[str, str],
    en: tuple[str, str],
    *,
    audience: str = "agent",
    kinds: tuple[str, ...],
    defaults: tuple[str, ...],
    channels: tuple[str, ...] = ("in_app",),
) -> None:
    """An agent notification: ``zh``/``en`` are (subject, one-line text shown under the bell)."""
    templates = {
        language: Template(
            subject=subject,
            body_html=f"<p>{line}</p>\n{{{{ latest_reply }}}}\n{_AGENT_ZH_HTML}",
            body_text=f"{line}\n\n{{{{ latest_reply }}}}\n\n{_AGENT_TEXT}",
        )
        for language, (subject, line) in (("zh-hans", zh), ("en", en))
    }
    register(
        NotificationType(
            key=key,
            audience=audience,
            label=label,
            recipient_kinds=kinds,
            default_recipients=defaults,
            templates=templates,
            agent_channels=channels,
        )
    )


_customer(
    "customer.ticket_received",
    _("Ticket received"),
    (
        "我们已收到您的请求：{{ ticket.subject }}",
        "感谢您联系我们。您的请求已登记为工单 {{ ticket.number }}，我们会尽快答复。",
    ),
    (
        "We received your request: {{ ticket.subject }}",
        "Thank you for contacting us. Your request is ticket {{ ticket.number }}; "
        "we will answer as soon as we can.",
    ),
)
# The agent's reply is itself the email the customer receives: this template shapes it (the default
# is the reply as written) — see kefu.notifications.services.reply_email.
register(
    NotificationType(
        key="customer.agent_reply",
        audience="customer",
        label=_("Agent reply"),
        recipient_kinds=(CONTACT, CC),
        default_recipients=(CONTACT, CC),
        templates={
            "zh-hans": Template("{{ ticket.subject }}", "{{ latest_reply }}", "{{ latest_reply }}"),
            "en": Template("{{ ticket.subject }}", "{{ latest_reply }}", "{{ latest_reply }}"),
        },
    )
)
_customer(
    "customer.comment_added",
    _("Public comment added"),
    ("工单 {{ ticket.number }} 有新的评论", "{{ agent.name }} 在您的工单上添加了评论："),
    ("New comment on ticket {{ ticket.number }}", "{{ agent.name }} added a comment to your ticket:"),
)
_customer(
    "customer.comment_edited",
    _("Public comment edited"),
    ("工单 {{ ticket.number }} 的评论已修改", "{{ agent.name }} 修改了您工单上的一条评论："),
    (
        "A comment on ticket {{ ticket.number }} was edited",
        "{{ agent.name }} edited a comment on your ticket:",
    ),
)
_customer(
    "customer.comment_deleted",
    _("Public comment deleted"),
    ("工单 {{ ticket.number }} 的评论已删除", "{{ agent.name }} 删除了您工单上的一条评论。"),
    (
        "A comment on ticket {{ ticket.number }} was deleted",
        "{{ agent.name }} deleted a comment on your ticket.",
    ),
)
_customer(
    "customer.ticket_closed",
    _("Ticket closed"),
    ("您的工单 {{ ticket.number }} 已关闭", "您的工单已关闭。如问题仍未解决，直接回复本邮件即可重新打开。"),
    (
        "Your ticket {{ ticket.number }} is closed",
        "Your ticket has been closed. If the problem is not solved, reply to this email to reopen it.",
    ),
)
_customer(
    "customer.ticket_reopened",
    _("Ticket reopened"),
    ("您的工单 {{ ticket.number }} 已重新打开", "您的工单已重新打开，我们会继续处理。"),
    (
        "Your ticket {{ ticket.number }} was reopened",
        "Your ticket has been reopened and we are working on it again.",
    ),
)
_agent(
    "agent.assigned",
    _("Ticket assigned to you"),
    ("工单 {{ ticket.number }} 已分配给您", "{{ agent.name }} 把工单 {{ ticket.number }} 分配给了您。"),
    (
        "Ticket {{ ticket.number }} is assigned to you",
        "{{ agent.name }} assigned ticket {{ ticket.number }} to you.",
    ),
    kinds=(ASSIGNEE,),
    defaults=(ASSIGNEE,),
    channels=("in_app", "email"),
)
_agent(
    "agent.team_assigned",
    _("Ticket assigned to your team"),
    (
        "工单 {{ ticket.number }} 已分配给 {{ ticket.team }}",
        "工单 {{ ticket.number }} 已分配给您的团队 {{ ticket.team }}。",
    ),
    (
        "Ticket {{ ticket.number }} is assigned to {{ ticket.team }}",
        "Ticket {{ ticket.number }} is assigned to your team {{ ticket.team }}.",
    ),
    kinds=(TEAM,),
    defaults=(TEAM,),
)
_agent(
    "agent.customer_replied",
    _("Customer replied on your ticket"),
    (
        "{{ contact.name }} 回复了工单 {{ ticket.number }}",
        "{{ contact.name }} 回复了工单 {{ ticket.number }}。",
    ),
    (
        "{{ contact.name }} replied on ticket {{ ticket.number }}",
        "{{ contact.name }} replied on ticket {{ ticket.number }}.",
    ),
    kinds=(ASSIGNEE, FOLLOWERS, TEAM),
    defaults=(ASSIGNEE,),
)
_agent(
    "agent.mentioned",
    _("You were mentioned"),
    (
        "{{ agent.name }} 在工单 {{ ticket.number }} 中提到了您",
        "{{ agent.name }} 在工单 {{ ticket.number }} 中提到了您。",
    ),
    (
        "{{ agent.name }} mentioned you on ticket {{ ticket.number }}",
        "{{ agent.name }} mentioned you on ticket {{ ticket.number }}.",
    ),
    kinds=(MENTIONED,),
    defaults=(MENTIONED,),
    channels=("in_app", "email"),
)
_agent(
    "agent.followed_changed",
    _("A ticket you follow changed"),
    ("您关注的工单 {{ ticket.number }} 有更新", "{{ agent.name }} 更新了您关注的工单 {{ ticket.number }}。"),
    (
        "Ticket {{ ticket.number }} you follow changed",
        "{{ agent.name }} updated ticket {{ ticket.number }}, which you follow.",
    ),
    kinds=(FOLLOWERS,),
    defaults=(FOLLOWERS,),
)
_agent(
    "agent.department_moved",
    _("A ticket moved into your department"),
    (
        "工单 {{ ticket.number }} 已转入 {{ ticket.department }}",
        "工单 {{ ticket.number }} 已转入部门 {{ ticket.department }}。",
    ),
    (
        "Ticket {{ ticket.number }} moved to {{ ticket.department }}",
        "Ticket {{ ticket.number }} moved into the department {{ ticket.department }}.",
    ),
    kinds=(DEPARTMENT, SUPERVISORS),
    defaults=(DEPARTMENT,),
)
_agent(
    "supervisor.new_unassigned",
    _("New unassigned ticket"),
    (
        "新工单 {{ ticket.number }} 尚未分配",
        "部门 {{ ticket.department }} 有一张尚未分配的新工单 {{ ticket.number }}。",
    ),
    (
        "New unassigned ticket {{ ticket.number }}",
        "A new ticket {{ ticket.number }} in {{ ticket.department }} has no assignee.",
    ),
    audience="supervisor",
    kinds=(SUPERVISORS, DEPARTMENT),
    defaults=(SUPERVISORS,),
)
