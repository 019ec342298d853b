"""Console pages of the contacts app."""

from django.urls import path

from kefu.contacts.views import accounts, contacts, lookup, merge

app_name = "contacts"

urlpatterns = [
    path("", contacts.contact_list, name="list"),
    path("new/", contacts.contact_create, name="create"),
    path("lookup/", lookup.contact_lookup_view, name="lookup"),
    path("<int:contact_id>/", contacts.contact_detail, name="detail"),
    path("<int:contact_id>/edit/", contacts.contact_edit, name="edit"),
    path("<int:contact_id>/merge/", merge.contact_merge_page, name="merge"),
    path("accounts/", accounts.account_list, name="account-list"),
    path("accounts/new/", accounts.account_create, name="account-create"),
    path("accounts/<int:account_id>/", accounts.account_detail, name="account-detail"),
    path("accounts/<int:account_id>/edit/", accounts.account_edit, name="account-edit"),
]
