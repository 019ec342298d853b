"""The console's visible words, per language, that the browser tests look for.

English is the source string; the Chinese is what the zh-Hans catalog must say for it. A test that
fails on a Chinese string here means a template string is untranslated or translated differently.
Status and priority names come from the database (``name`` / ``name_en``), not from the catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    # sign-in and layout
    sign_in_title: str
    email: str
    password: str
    sign_in: str
    tickets: str
    menu_toggle: str
    main_menu: str
    # ticket list
    ticket_views: str
    my_open: str
    unassigned: str
    all_open: str
    no_tickets: str
    assign_to: str
    assign: str
    priority: str
    save_as_view: str
    name: str
    save_view: str
    saved_views: str
    # ticket page
    reply_tab: str
    reply_to_customer: str
    attachments: str
    send_reply: str
    comment_tab: str
    internal_comment: str
    agents_to_mention: str
    add_comment: str
    mentioned: str
    properties: str
    status: str
    history: str
    history_status: str
    history_priority: str
    keyboard_shortcuts: str
    assignee: str
    # create ticket
    new_ticket: str
    find_contact: str
    subject: str
    description: str
    create_ticket: str
    # contacts
    contacts: str
    new_contact: str
    primary_email: str
    phone: str
    save_contact: str
    contact_saved: str
    # settings
    settings: str
    departments: str
    # data: statuses and priorities
    status_new: str
    status_in_progress: str
    priority_high: str
    priority_medium: str
    department_a: str


EN = Texts(
    sign_in_title="Sign in to Kefu",
    email="Email",
    password="Password",
    sign_in="Sign in",
    tickets="Tickets",
    menu_toggle="Show or hide the menu",
    main_menu="Main",
    ticket_views="Ticket views",
    my_open="My open",
    unassigned="Unassigned",
    all_open="All open",
    no_tickets="No tickets here.",
    assign_to="Assign to",
    assign="Assign",
    priority="Priority",
    save_as_view="Save as view",
    name="Name",
    save_view="Save view",
    saved_views="Saved views",
    reply_tab="Reply (r)",
    reply_to_customer="Reply to the customer",
    attachments="Attachments",
    send_reply="Send reply",
    comment_tab="Internal comment (c)",
    internal_comment="Internal comment",
    agents_to_mention="Agents to mention",
    add_comment="Add comment",
    mentioned="Mentioned",
    properties="Properties",
    status="Status",
    history="History",
    history_status="张伟 changed status from New to In progress",
    history_priority="张伟 changed priority from Medium to High",
    keyboard_shortcuts="Keyboard shortcuts",
    assignee="Assignee",
    new_ticket="New ticket",
    find_contact="Find a contact by name, email or phone",
    subject="Subject",
    description="Customer's message",
    create_ticket="Create ticket",
    contacts="Contacts",
    new_contact="New contact",
    primary_email="Primary email",
    phone="Phone",
    save_contact="Save contact",
    contact_saved="The contact was saved.",
    settings="Settings",
    departments="Departments",
    status_new="New",
    status_in_progress="In progress",
    priority_high="High",
    priority_medium="Medium",
    department_a="After-sales",
)

ZH_HANS = Texts(
    sign_in_title="登录 Kefu",
    email="电子邮件",
    password="密码",
    sign_in="登录",
    tickets="工单",
    menu_toggle="显示或隐藏菜单",
    main_menu="主导航",
    ticket_views="工单视图",
    my_open="我的未关闭工单",
    unassigned="未分配",
    all_open="所有未关闭工单",
    no_tickets="这里没有工单。",
    assign_to="分配给",
    assign="分配",
    priority="优先级",
    save_as_view="另存为视图",
    name="名称",
    save_view="保存视图",
    saved_views="已保存视图",
    reply_tab="回复 (r)",
    reply_to_customer="回复客户",
    attachments="附件",
    send_reply="发送回复",
    comment_tab="内部备注 (c)",
    internal_comment="内部备注",
    agents_to_mention="要提及的客服",
    add_comment="添加评论",
    mentioned="提及",
    properties="属性",
    status="状态",
    history="历史记录",
    history_status="张伟 将状态从 新建 改为 处理中",
    history_priority="张伟 将优先级从 中 改为 高",
    keyboard_shortcuts="键盘快捷键",
    assignee="负责人",
    new_ticket="新建工单",
    find_contact="按姓名、邮箱或电话查找联系人",
    subject="主题",
    description="客户的消息",
    create_ticket="创建工单",
    contacts="联系人",
    new_contact="新建联系人",
    primary_email="主邮箱",
    phone="电话",
    save_contact="保存联系人",
    contact_saved="联系人已保存。",
    settings="设置",
    departments="部门",
    status_new="新建",
    status_in_progress="处理中",
    priority_high="高",
    priority_medium="中",
    department_a="售后服务",
)


def texts_for(lang: str) -> Texts:
    return {"en": EN, "zh-hans": ZH_HANS}[lang]
