"""An article page links its readable translation and related articles (each looked up by index)."""

from __future__ import annotations

from django.test import Client

from kefu.kb.tests.factories import ArticleFactory, CategoryFactory, SectionFactory


def test_an_article_links_its_translation_both_ways_and_only_readable_related_articles(brand, section):
    original = ArticleFactory(section=section, title="如何重置密码", slug="reset")
    english_section = SectionFactory(category=CategoryFactory(brand=brand, language="en"), name="Password")
    english = ArticleFactory(
        section=english_section, title="Resetting your password", slug="reset-en", language="en",
        translation_of=original,
    )  # fmt: skip
    public = ArticleFactory(section=section, title="修改绑定邮箱", slug="email")
    private = ArticleFactory(section=section, title="内部：密码策略", slug="policy", visibility="agents")
    original.related.set([public, private])

    html = Client().get(f"/hc/acme/articles/{original.pk}-reset/").content.decode()
    assert f'href="/hc/acme/articles/{english.pk}-reset-en/" hreflang="en">Read in English</a>' in html
    assert f'<a href="/hc/acme/articles/{public.pk}-email/">修改绑定邮箱</a>' in html
    assert "内部" not in html

    back = Client().get(f"/hc/acme/articles/{english.pk}-reset-en/").content.decode()
    assert f'href="/hc/acme/articles/{original.pk}-reset/" hreflang="zh-Hans">阅读中文版</a>' in back
    assert "修改绑定邮箱" not in back  # related to the original, not to its translation


def test_without_a_readable_translation_or_related_articles_there_are_no_links(brand, section):
    original = ArticleFactory(section=section, title="如何重置密码", slug="reset")
    english_section = SectionFactory(category=CategoryFactory(brand=brand, language="en"), name="Password")
    ArticleFactory(
        section=english_section, title="Resetting your password", language="en", translation_of=original,
        status="draft", published_at=None,
    )  # fmt: skip
    html = Client().get(f"/hc/acme/articles/{original.pk}-reset/").content.decode()
    assert "Read in English" not in html
    assert "相关文章</h2>" not in html
