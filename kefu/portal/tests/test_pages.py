from __future__ import annotations

import pytest
from django.test import Client

from kefu.portal.models import HelpCenter


def test_home_shows_the_visible_modules_in_order(brand, articles):
    HelpCenter.objects.create(
        brand=brand,
        modules=[
            {"key": "popular", "visibility": "everyone"},
            {"key": "search", "visibility": "everyone"},
            {"key": "categories", "visibility": "customers"},
            {"key": "submit_ticket", "visibility": "nobody"},
            {"key": "my_tickets", "visibility": "customers"},
        ],
    )
    response = Client().get("/hc/acme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('data-module="popular"') < html.index('data-module="search"')
    assert 'data-module="categories"' not in html
    assert 'data-module="submit_ticket"' not in html
    assert 'data-module="my_tickets"' not in html
    assert response["Content-Language"] == "zh-hans"


def test_signed_in_customers_see_customer_modules(brand, articles, customer_client):
    HelpCenter.objects.create(brand=brand, modules=[{"key": "categories", "visibility": "customers"}])
    html = customer_client.get("/hc/acme/?lang=zh-hans").content.decode()
    assert 'data-module="categories"' in html
    assert '密码</a> <span class="text-secondary">(2)</span>' in html  # public + customers, not agents'


@pytest.mark.parametrize(
    ("who", "readable"),
    [
        ("anonymous", {"public"}),
        ("customer", {"public", "customers"}),
        ("agent", {"public", "customers", "agents"}),
    ],
)
def test_article_pages_follow_visibility(who, readable, articles, customer_client, agent):
    client = {"anonymous": Client(), "customer": customer_client}.get(who)
    if client is None:
        client = Client()
        client.force_login(agent.user)
    for kind, article in articles.items():
        response = client.get(f"/hc/acme/articles/{article.pk}/", follow=True)
        assert (response.status_code == 200) == (kind in readable), kind


def test_article_redirects_to_its_canonical_url_and_counts_a_view(articles):
    article = articles["public"]
    response = Client().get(f"/hc/acme/articles/{article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/hc/acme/articles/{article.pk}-reset/"
    page = Client().get(response["Location"])
    assert (
        f'<link rel="canonical" href="http://testserver/hc/acme/articles/{article.pk}-reset/">'
        in page.content.decode()
    )
    article.refresh_from_db()
    assert article.view_count == 1


def test_votes_keep_feedback(articles):
    article = articles["public"]
    response = Client().post(f"/hc/acme/articles/{article.pk}/vote/", {"helpful": "no", "feedback": "看不懂"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (0, 1)
    assert list(article.votes.values_list("feedback", flat=True)) == ["看不懂"]


def test_sitemap_lists_only_public_published_articles(articles):
    response = Client().get("/hc/acme/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/hc/acme/articles/{articles['public'].pk}-reset/" in body
    for kind in ("customers", "agents", "draft"):
        assert f"/articles/{articles[kind].pk}-" not in body


def test_unknown_or_disabled_help_centers_are_404(brand):
    assert Client().get("/hc/nope/").status_code == 404
    HelpCenter.objects.create(brand=brand, is_enabled=False)
    assert Client().get("/hc/acme/").status_code == 404


def test_the_language_switch_and_the_brand_default(brand):
    assert Client().get("/hc/acme/").content.decode().count('lang="zh-hans"') == 1
    response = Client().get("/hc/acme/?lang=en")
    assert response["Content-Language"] == "en"
    assert "How can we help?" in response.content.decode()
    assert response.cookies["django_language"].value == "en"
