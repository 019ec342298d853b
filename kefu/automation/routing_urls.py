"""Console pages of assignment rules, skills, macros and canned replies (mounted at the site root, so that
their names stay un-namespaced like the other settings pages), and the ticket pages' macro and canned
reply endpoints."""

from django.urls import path

from kefu.automation.assignment import views as assignment
from kefu.automation.canned import views as canned
from kefu.automation.macros import views as macros
from kefu.automation.skills import views as skills

urlpatterns = [
    path("settings/skills/", skills.skills, name="settings-skills"),
    path("settings/skills/<int:skill_id>/", skills.skill_edit, name="settings-skill-edit"),
    path("settings/skills/<int:skill_id>/delete/", skills.skill_delete, name="settings-skill-delete"),
    path("settings/agents/<int:agent_id>/skills/", skills.agent_skills, name="settings-agent-skills"),
    path(
        "settings/agents/<int:agent_id>/share-out/",
        assignment.agent_share_out,
        name="settings-agent-share-out",
    ),
    path("settings/assignment-rules/", assignment.rules, name="settings-assignment-rules"),
    path("settings/assignment-rules/new/", assignment.rule_new, name="settings-assignment-rule-new"),
    path(
        "settings/assignment-rules/reorder/",
        assignment.rules_reorder,
        name="settings-assignment-rules-reorder",
    ),
    path(
        "settings/assignment-rules/<int:rule_id>/", assignment.rule_edit, name="settings-assignment-rule-edit"
    ),
    path(
        "settings/assignment-rules/<int:rule_id>/delete/",
        assignment.rule_delete,
        name="settings-assignment-rule-delete",
    ),
    path(
        "settings/assignment-rules/<int:rule_id>/enabled/",
        assignment.rule_toggle,
        name="settings-assignment-rule-toggle",
    ),
    path("settings/macros/", macros.macros, name="settings-macros"),
    path("settings/macros/<int:macro_id>/", macros.macro_edit, name="settings-macro-edit"),
    path("settings/macros/<int:macro_id>/delete/", macros.macro_delete, name="settings-macro-delete"),
    path("settings/canned-replies/", canned.canned_replies, name="settings-canned-replies"),
    path(
        "settings/canned-replies/<int:reply_id>/", canned.canned_reply_edit, name="settings-canned-reply-edit"
    ),
    path(
        "settings/canned-replies/<int:reply_id>/delete/",
        canned.canned_reply_delete,
        name="settings-canned-reply-delete",
    ),
    path("tickets/macros/apply/", macros.tickets_apply_macro, name="tickets-apply-macro"),
    path("tickets/bulk-reply/", macros.tickets_bulk_reply, name="tickets-bulk-reply"),
    path("tickets/<int:ticket_id>/macros/apply/", macros.ticket_apply_macro, name="ticket-apply-macro"),
    path("tickets/<int:ticket_id>/canned-replies/", canned.picker_search, name="ticket-canned-search"),
    path(
        "tickets/<int:ticket_id>/canned-replies/<int:reply_id>/insert/",
        canned.picker_insert,
        name="ticket-canned-insert",
    ),
]
