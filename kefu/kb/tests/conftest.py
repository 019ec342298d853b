from __future__ import annotations

import pytest

from kefu.kb.tests.factories import BrandFactory, CategoryFactory, SectionFactory


@pytest.fixture
def brand(db):
    return BrandFactory(name="Acme 商城", slug="acme")


@pytest.fixture
def section(brand):
    return SectionFactory(category=CategoryFactory(brand=brand, name="账户与登录"), name="密码")
