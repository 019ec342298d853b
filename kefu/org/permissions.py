"""The permissions a role can grant, and the keys of the built-in roles.

Roles are data (administrators edit them); these codes are the vocabulary services check against. The
built-in roles themselves are created by migration org/0002 with their permission sets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TICKET_VIEW_ALL_DEPARTMENTS = "ticket.view_all_departments"
TICKET_CREATE = "ticket.create"
TICKET_EDIT = "ticket.edit"
TICKET_ASSIGN = "ticket.assign"
TICKET_REPLY = "ticket.reply"
TICKET_COMMENT = "ticket.comment"
TICKET_COMMENT_PUBLIC = "ticket.comment_public"
TICKET_DELETE = "ticket.delete"
CONTACT_MANAGE = "contact.manage"
AGENT_MANAGE = "agent.manage"
SETTINGS_MANAGE = "settings.manage"

LABELS = {
    TICKET_VIEW_ALL_DEPARTMENTS: _("See tickets of every department"),
    TICKET_CREATE: _("Create tickets"),
    TICKET_EDIT: _("Change ticket fields"),
    TICKET_ASSIGN: _("Assign tickets"),
    TICKET_REPLY: _("Reply to customers"),
    TICKET_COMMENT: _("Add internal comments"),
    TICKET_COMMENT_PUBLIC: _("Add public comments"),
    TICKET_DELETE: _("Delete tickets"),
    CONTACT_MANAGE: _("Create and edit contacts and accounts"),
    AGENT_MANAGE: _("Manage agents"),
    SETTINGS_MANAGE: _("Manage settings"),
}
ALL = tuple(LABELS)

ROLE_ADMINISTRATOR = "administrator"
ROLE_SUPERVISOR = "supervisor"
ROLE_AGENT = "agent"
ROLE_LIGHT_AGENT = "light_agent"
