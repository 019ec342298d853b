"""Error pages in the console's look and the reader's language, with the navigation: never Django's
bare English "Not Found" / "Forbidden" / "Server Error"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from kefu import urls as kefu_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*kefu_urls.urlpatterns, path("boom/", boom)]
handler500 = kefu_urls.handler500


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "link"),
    [("zh-hans", "找不到该页面", "前往工单"), ("en", "Page not found", "Go to the tickets")],
)
def test_another_departments_ticket_is_the_branded_404_in_the_readers_language(
    client, other_agent, create_ticket, language, heading, link
):
    ticket = create_ticket()
    client.force_login(other_agent.user)
    client.cookies["django_language"] = language
    response = client.get(f"/tickets/{ticket.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert (heading in page, link in page, 'data-testid="navbar"' in page) == (True, True, True)
    assert "Not Found" not in page


@pytest.mark.django_db
def test_a_forbidden_settings_page_is_the_branded_403(client, agent):
    client.force_login(agent.user)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/settings/agents/")
    page = response.content.decode()
    assert response.status_code == 403
    assert ("没有访问权限" in page, 'data-testid="navbar"' in page, "Forbidden" in page) == (
        True,
        True,
        False,
    )


@pytest.mark.django_db
def test_an_unknown_address_for_someone_signed_out_offers_sign_in(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/login/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.console.test_error_pages")
def test_a_bug_is_the_branded_500_in_chinese(agent):
    client = Client(raise_request_exception=False)
    client.force_login(agent.user)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert ("出错了" in page, 'data-status="500"' in page, "Server Error" in page) == (True, True, False)
