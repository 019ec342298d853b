"""Contacts: the list and creating a contact, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.contacts.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_create_a_contact(signed_in, desk, text, screenshot):
    page = signed_in
    page.goto("/tickets/")
    page.get_by_role("navigation", name=text.main_menu).get_by_role("link", name=text.contacts).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text.contacts)
    expect(page.get_by_role("link", name="王芳")).to_be_visible()
    screenshot(page, "contacts")

    page.get_by_role("link", name=text.new_contact, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text.new_contact)
    page.get_by_label(text.name, exact=True).fill("刘洋")
    page.get_by_label(text.primary_email, exact=True).fill("liu.yang@example.cn")
    page.get_by_label(text.phone, exact=True).fill("+86 21 5555 0101")
    page.get_by_role("button", name=text.save_contact, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("刘洋")
    expect(page.get_by_role("status")).to_have_text(text.contact_saved)
    contact = Contact.objects.get(email="liu.yang@example.cn")
    assert (contact.name, contact.phone) == ("刘洋", "+86 21 5555 0101")
    assert list(contact.addresses.values_list("address", "is_primary")) == [("liu.yang@example.cn", True)]
