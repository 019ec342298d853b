"""Intranet installations have no internet: no page may load anything from another host."""

import re

import pytest

EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//', re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs", "/login/"])
def test_pages_load_their_assets_from_this_server(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert EXTERNAL.findall(response.content.decode()) == []
