"""Factories for the knowledge base: a brand's categories, sections and articles."""

from __future__ import annotations

import factory

from kefu.kb.models import Article, Category, Section
from kefu.org.models import Brand


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"品牌{n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"分类{n}")
    language = "zh-hans"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"栏目{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published public article, as readers see them (rows only: no version, no index event)."""

    class Meta:
        model = Article

    section = factory.SubFactory(SectionFactory)
    title = factory.Sequence(lambda n: f"文章{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "<p>正文</p>"
    body_text = "正文"
    status = Article.Status.PUBLISHED
    visibility = Article.Visibility.PUBLIC
    language = "zh-hans"
    published_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)
