from __future__ import annotations

import pytest
from django.test import Client

from kefu.kb.tests.factories import ArticleFactory, BrandFactory, CategoryFactory, SectionFactory
from kefu.org.tests.factories import PASSWORD
from kefu.portal.tests.factories import CustomerFactory


@pytest.fixture
def brand(db, department):
    brand = BrandFactory(name="Acme 商城", slug="acme", default_language="zh-hans")
    brand.departments.set([department])
    return brand


@pytest.fixture
def section(brand):
    return SectionFactory(category=CategoryFactory(brand=brand, name="账户与登录"), name="密码")


@pytest.fixture
def articles(section):
    """One article of each visibility, and a draft."""
    return {
        "public": ArticleFactory(section=section, title="如何重置密码", slug="reset"),
        "customers": ArticleFactory(section=section, title="会员专享折扣", visibility="customers"),
        "agents": ArticleFactory(section=section, title="内部退款流程", visibility="agents"),
        "draft": ArticleFactory(section=section, title="草稿文章", status="draft", published_at=None),
    }


@pytest.fixture
def customer(brand):
    return CustomerFactory(contact__email="li.lei@example.cn", contact__name="李雷")


@pytest.fixture
def other_customer(brand):
    return CustomerFactory(contact__email="han.mei@example.cn", contact__name="韩梅")


@pytest.fixture
def customer_client(customer):
    client = Client()
    client.login(username=customer.user.email, password=PASSWORD)
    return client
