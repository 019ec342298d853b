"""Mail settings pages, under /settings/mail/."""

from django.urls import path

from kefu.channels.email import views

app_name = "mail"

urlpatterns = [
    path("mailboxes/", views.mailbox_list, name="mailbox-list"),
    path("mailboxes/new/", views.mailbox_create, name="mailbox-create"),
    path("mailboxes/test/", views.mailbox_test, name="mailbox-test"),
    path("mailboxes/<int:mailbox_id>/", views.mailbox_edit, name="mailbox-edit"),
    path(
        "mailboxes/<int:mailbox_id>/intake-secret/", views.mailbox_intake_secret, name="mailbox-intake-secret"
    ),
    path("mailboxes/<int:mailbox_id>/deactivate/", views.mailbox_deactivate, name="mailbox-deactivate"),
    path("messages/", views.inbound_list, name="inbound-list"),
    path("messages/<int:inbound_id>/reprocess/", views.inbound_reprocess, name="inbound-reprocess"),
    path("messages/<int:inbound_id>/source/", views.inbound_source, name="inbound-source"),
    path("threads/<int:thread_id>/source/", views.thread_source, name="thread-source"),
    path("threads/<int:thread_id>/retry/", views.outbound_retry, name="outbound-retry"),
]
