"""Every address under the API answers errors as JSON: even one no route can match."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing",
        "/api/v1/custom-fields/a%0Ab/options",  # a line break escapes the API's own catch-all route
        "/api/v2/tickets",
    ],
)
def test_an_unknown_api_address_answers_a_json_404_in_the_clients_language(client, path, db):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == "未找到。"


def test_an_unknown_console_address_still_answers_the_branded_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
