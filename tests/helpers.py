"""Assertions shared by the API test modules."""

from __future__ import annotations


def error_of(response, status: int) -> dict:
    """Assert ``response`` is an API error of ``status`` in the one error shape, and return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]
