"""Console pages of the tickets app."""

from django.urls import path

from kefu.tickets.views import (
    actions,
    bulk,
    conversation,
    create,
    detail,
    family,
    merge,
    presence,
    properties,
    saved_views,
    stream,
)
from kefu.tickets.views import list as ticket_list

app_name = "tickets"

urlpatterns: list = [
    path("", ticket_list.ticket_list, name="list"),
    path("counts/", ticket_list.ticket_view_counts, name="view-counts"),
    path("bulk/", bulk.ticket_bulk, name="bulk"),
    path("stream/", stream.ticket_stream, name="stream"),
    path("views/new/", saved_views.saved_view_create, name="view-create"),
    path("views/<int:view_id>/edit/", saved_views.saved_view_edit, name="view-edit"),
    path("views/<int:view_id>/delete/", saved_views.saved_view_delete, name="view-delete"),
    path("new/", create.ticket_create, name="create"),
    path("<int:ticket_id>/", detail.ticket_detail, name="detail"),
    path("<int:ticket_id>/reply/", conversation.ticket_reply, name="reply"),
    path("<int:ticket_id>/comment/", conversation.ticket_comment, name="comment"),
    path("<int:ticket_id>/message/", conversation.ticket_message, name="message"),
    path(
        "<int:ticket_id>/scheduled/<int:thread_id>/",
        conversation.scheduled_reply,
        name="scheduled-reply",
    ),
    path("<int:ticket_id>/mentions/", conversation.ticket_mentions, name="mentions"),
    path("<int:ticket_id>/properties/", properties.ticket_property, name="property"),
    path("<int:ticket_id>/family/", family.ticket_family, name="family"),
    path("<int:ticket_id>/merge/", merge.ticket_merge, name="merge"),
    path("<int:ticket_id>/spam/", actions.ticket_spam, name="spam"),
    path("<int:ticket_id>/trash/", actions.ticket_trash, name="trash"),
    path("<int:ticket_id>/print/", actions.ticket_print, name="print"),
    path("<int:ticket_id>/unmerge/", merge.ticket_unmerge, name="unmerge"),
    path("<int:ticket_id>/threads/<int:thread_id>/split/", merge.ticket_split, name="split"),
    path("<int:ticket_id>/presence/", presence.ticket_presence, name="presence"),
    path("<int:ticket_id>/presence/leave/", presence.ticket_presence_leave, name="presence-leave"),
    path(
        "<int:ticket_id>/attachments/<int:attachment_id>/",
        detail.ticket_attachment,
        name="attachment",
    ),
]
