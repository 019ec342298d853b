from __future__ import annotations

from django.test import Client

from kefu.core.event_types import EventType
from kefu.portal.models import HelpCenter
from kefu.portal.services import proof_solve
from kefu.tickets.models import Ticket

TICKET = {
    "name": "王芳",
    "email": "wang.fang@example.cn",
    "subject": "无法登录",
    "message": "一直提示密码错误。",
}


def test_a_ticket_from_the_public_api_belongs_to_the_brand_and_its_channel(brand, department, published):
    response = Client().post(
        "/api/v1/public/acme/tickets", {**TICKET, "channel": "widget"}, content_type="application/json"
    )
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.json() == {
        "id": ticket.pk,
        "number": ticket.number,
        "subject": "无法登录",
        "channel": "widget",
    }
    assert (ticket.brand_id, ticket.department_id, ticket.channel, ticket.contact.email) == (
        brand.pk,
        department.pk,
        "widget",
        "wang.fang@example.cn",
    )
    created = published(EventType.TICKET_CREATED)
    assert len(created) == 1


def test_bad_tickets_name_every_bad_field(brand):
    response = Client().post(
        "/api/v1/public/acme/tickets",
        {"email": "x", "subject": "", "department_id": 0},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) >= {"email", "subject", "message", "department_id"}
    foreign = Client().post(
        "/api/v1/public/acme/tickets", {**TICKET, "department_id": 999999}, content_type="application/json"
    )
    assert foreign.status_code == 422
    assert foreign.json()["error"]["fields"] == {"department_id": "Unknown id 999999."}
    assert Ticket.objects.count() == 0


def test_the_honeypot_and_the_rate_limit_stop_robots(brand, settings):
    trapped = Client().post(
        "/api/v1/public/acme/tickets", {**TICKET, "website": "http://spam"}, content_type="application/json"
    )
    assert trapped.status_code == 422
    assert list(trapped.json()["error"]["fields"]) == ["website"]
    settings.KEFU_PORTAL_RATE_LIMIT = 2
    statuses = [
        Client().post("/api/v1/public/acme/tickets", TICKET, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Ticket.objects.count() == 2


def test_proof_of_work_when_the_help_center_asks_for_it(brand):
    HelpCenter.objects.create(brand=brand, proof_of_work=True)
    client = Client()
    refused = client.post("/api/v1/public/acme/tickets", TICKET, content_type="application/json")
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["proof"]
    challenge = client.get("/api/v1/public/acme/proof").json()["challenge"]
    proof = {"challenge": challenge, "nonce": proof_solve(challenge)}
    assert (
        client.post(
            "/api/v1/public/acme/tickets", {**TICKET, "proof": proof}, content_type="application/json"
        ).status_code
        == 201
    )
    replay = client.post(
        "/api/v1/public/acme/tickets", {**TICKET, "proof": proof}, content_type="application/json"
    )
    assert replay.status_code == 422
    assert Ticket.objects.count() == 1


def test_cors_only_for_the_brands_allowed_origins(brand):
    brand.allowed_origins = ["https://shop.example.com"]
    brand.save()
    allowed = Client().get(
        "/api/v1/public/acme/search", {"q": "x"}, headers={"Origin": "https://shop.example.com"}
    )
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example.com"
    other = Client().get("/api/v1/public/acme/search", {"q": "x"}, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403
    assert "Access-Control-Allow-Origin" not in other
    preflight = Client().options(
        "/api/v1/public/acme/tickets",
        headers={"Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Headers"] == "Content-Type, Idempotency-Key"
    assert (
        Client()
        .post(
            "/api/v1/public/acme/tickets",
            TICKET,
            content_type="application/json",
            headers={"Origin": "https://evil.example"},
        )
        .status_code
        == 403
    )


def test_public_articles_are_only_public_published_ones(articles):
    client = Client()
    public = client.get(f"/api/v1/public/acme/articles/{articles['public'].pk}")
    assert public.status_code == 200
    assert public.json()["url"] == f"http://testserver/hc/acme/articles/{articles['public'].pk}-reset/"
    for kind in ("customers", "agents", "draft"):
        assert client.get(f"/api/v1/public/acme/articles/{articles[kind].pk}").status_code == 404


def test_brands_api(api_client_for, agent, admin_agent, brand, department):
    assert api_client_for(None).get("/api/v1/brands").status_code == 401
    listed = api_client_for(agent).get("/api/v1/brands")
    assert listed.json() == [
        {
            "id": brand.pk,
            "name": "Acme 商城",
            "slug": "acme",
            "default_language": "zh-hans",
            "department_ids": [department.pk],
            "allowed_origins": [],
        }
    ]
    assert api_client_for(agent).patch_json(f"/api/v1/brands/{brand.pk}", {"name": "x"}).status_code == 403
    admin = api_client_for(admin_agent)
    changed = admin.patch_json(
        f"/api/v1/brands/{brand.pk}",
        {"allowed_origins": ["https://Shop.Example.com/"], "default_language": "en"},
    )
    assert changed.status_code == 200
    assert (changed.json()["allowed_origins"], changed.json()["default_language"]) == (
        ["https://shop.example.com"],
        "en",
    )
    bad = admin.post_json("/api/v1/brands", {"name": "B", "slug": "Bad Slug", "allowed_origins": ["ftp://x"]})
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"slug", "allowed_origins"}
