"""Signing in from a browser test: through the form, or with a session cookie."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from kefu.org.models import User
from kefu.org.tests.factories import PASSWORD
from tests.browser.texts import Texts


def sign_in(page: Page, text: Texts, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait until the console has left the sign-in page."""
    page.goto("/login/")
    page.get_by_label(text.email, exact=True).fill(email)
    page.get_by_label(text.password, exact=True).fill(password)
    page.get_by_role("button", name=text.sign_in, exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def sign_in_as(context: BrowserContext, base_url: str, user: User) -> None:
    """Give the browser a session of ``user`` without the sign-in form (tested on its own)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
