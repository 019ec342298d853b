"""The demo's automation: a workflow rule, an assignment rule, macros and canned replies, as the seeds
describe them (a ticket about 手机发热 becomes High priority; new after-sales tickets are shared out in turn).

Loaded after the demo tickets, so that the rules act on the tickets people create while trying Kefu and
not on the generated history. Matched by name, so a second run adds nothing.
"""

from __future__ import annotations

from kefu.automation.assignment.inputs import AssignmentRuleInput
from kefu.automation.assignment.services import assignment_rule_create
from kefu.automation.canned.services import canned_reply_create
from kefu.automation.macros.inputs import MacroInput
from kefu.automation.macros.services import macro_create
from kefu.automation.models import AssignmentRule, CannedReply, Macro, WorkflowRule
from kefu.automation.workflow.inputs import RuleInput
from kefu.automation.workflow.services import rule_create
from kefu.core.actors import Actor, Source
from kefu.org.models import Department, User

HOT_PHONES = "手机发热优先处理"
SHARE_OUT = "售后新工单轮流分配"
AFTER_SALES_AGENTS = ("wang.fang@kefu.local", "li.na@kefu.local")

MACROS = [
    ("换货已寄出", [
        {"type": "reply", "body": (
            "{{ contact.name }}您好，您的换货已经寄出，快递单号会以短信通知您。"
            "工单 {{ ticket.number }} 如有问题请直接回复本邮件。——{{ agent.name }}"
        )},
        {"type": "set_field", "field": "status", "value": "搁置"},
        {"type": "add_tags", "tags": ["换货"]},
    ]),
    ("Replacement shipped", [
        {"type": "reply", "body": (
            "Hello {{ contact.name }}, your replacement is on its way; the tracking number follows by "
            "text message. Reply to this email about ticket {{ ticket.number }} if anything is wrong. "
            "— {{ agent.name }}"
        )},
        {"type": "set_field", "field": "status", "value": "搁置"},
        {"type": "add_tags", "tags": ["换货"]},
    ]),
]  # fmt: skip

CANNED_REPLIES = [
    ("问候", "greet", "zh-hans", "{{ contact.name }}您好，感谢您联系 Acme 客服。"),
    ("请提供订单号", "order", "zh-hans", "为了尽快帮您处理，请回复您的订单号和购买时使用的手机号。"),
    ("Greeting", "hello", "en", "Hello {{ contact.name }}, thank you for contacting Acme support."),
    (
        "Order number, please",
        "ordernumber",
        "en",
        "To help you quickly, please reply with your order number.",
    ),
]


def load_routing(admin: Actor) -> None:
    after_sales = Department.objects.get(code="after-sales")
    if not WorkflowRule.objects.filter(name=HOT_PHONES).exists():
        rule_create(
            actor=admin,
            model=WorkflowRule,
            data=RuleInput(
                name=HOT_PHONES,
                enabled=True,
                trigger="created",
                criteria={"any": [
                    {"field": "subject", "op": "contains", "value": "发热"},
                    {"field": "description", "op": "contains", "value": "发热"},
                ]},
                actions=[
                    {"type": "set_field", "field": "priority", "value": "高"},
                    {"type": "add_tags", "tags": ["发热"]},
                ],
            ),
        )  # fmt: skip
    if not AssignmentRule.objects.filter(name=SHARE_OUT).exists():
        agents = {user.email: user.pk for user in User.objects.filter(email__in=AFTER_SALES_AGENTS)}
        assignment_rule_create(
            actor=admin,
            source=Source.IMPORT,
            data=AssignmentRuleInput(
                name=SHARE_OUT,
                department_id=after_sales.pk,
                type="round_robin",
                agent_ids=[agents[email] for email in AFTER_SALES_AGENTS if email in agents],
            ),
        )
    for name, actions in MACROS:
        if not Macro.objects.filter(name=name).exists():
            macro_create(actor=admin, source=Source.IMPORT, data=MacroInput(name=name, actions=actions))
    for title, shortcut, language, body in CANNED_REPLIES:
        if not CannedReply.objects.filter(title=title).exists():
            canned_reply_create(
                actor=admin,
                source=Source.IMPORT,
                title=title,
                body=body,
                language=language,
                shortcut=shortcut,
            )
