from __future__ import annotations

import re

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kefu.contacts.tests.factories import ContactFactory
from kefu.core.actors import Actor, Source
from kefu.org.models import User
from kefu.portal import services
from kefu.portal.models import Customer

PASSWORD = "a-Long-enough-passw0rd"


def _link(message) -> str:
    return re.search(r"http://testserver(/hc/\S+)", message.body).group(1)


def test_sign_up_verify_by_the_emailed_link_and_sign_in(brand, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/hc/acme/signup/?lang=en", {"name": "Li Lei", "email": "Li.Lei@Example.cn", "password": PASSWORD}
        )
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get(email="li.lei@example.cn")
    assert user.is_active is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].from_email == "Acme 商城 <kefu@localhost>"
    assert mail.outbox[0].subject == "Confirm your email address for Acme 商城"
    # Not verified yet: no sign-in.
    refused = client.post("/hc/acme/signin/", {"email": "li.lei@example.cn", "password": PASSWORD})
    assert refused.status_code == 422
    verified = client.get(_link(mail.outbox[0]))
    assert verified.status_code == 302
    assert verified["Location"] == "/hc/acme/tickets/"
    customer = Customer.objects.get(user=user)
    assert customer.email_verified_at is not None
    assert customer.contact.email == "li.lei@example.cn"
    assert (
        Client().post("/hc/acme/signin/", {"email": "li.lei@example.cn", "password": PASSWORD}).status_code
        == 302
    )


def test_sign_up_names_bad_fields_and_refuses_a_taken_address(brand, agent):
    response = Client().post("/hc/acme/signup/", {"name": "", "email": agent.user.email, "password": "123"})
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"name"}
    taken = Client().post("/hc/acme/signup/", {"name": "x", "email": agent.user.email, "password": PASSWORD})
    assert set(taken.context["form"].errors) == {"email"}
    weak = Client().post("/hc/acme/signup/", {"name": "x", "email": "new@example.cn", "password": "123"})
    assert set(weak.context["form"].errors) == {"password"}


def test_sign_in_locks_out_after_repeated_failures(customer):
    client = Client()
    for _ in range(5):
        client.post("/hc/acme/signin/", {"email": customer.user.email, "password": "wrong"})
    from kefu.org.tests.factories import PASSWORD as RIGHT

    locked = client.post("/hc/acme/signin/?lang=en", {"email": customer.user.email, "password": RIGHT})
    assert locked.status_code == 422
    assert "Too many failed sign-in attempts" in locked.content.decode()


def test_an_invited_contact_sets_a_password_from_the_email(
    brand, admin_agent, django_capture_on_commit_callbacks
):
    contact = ContactFactory(email="zhou.jie@example.cn", name="周杰")
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_invite(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            contact=contact,
            brand=brand,
            site_url="http://testserver/",
        )
    assert [message.to for message in mail.outbox] == [["zhou.jie@example.cn"]]
    link = _link(mail.outbox[0])
    client = Client()
    assert client.post(link, {"password": PASSWORD}).status_code == 302
    assert client.get("/hc/acme/tickets/").status_code == 200
    assert Client().post(link, {"password": PASSWORD}).status_code == 400  # used once


def test_password_reset_says_nothing_about_unknown_addresses(customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = Client().post("/hc/acme/password/reset/", {"email": "nobody@example.cn"})
        known = Client().post("/hc/acme/password/reset/", {"email": customer.user.email})
    assert unknown.status_code == known.status_code == 200
    assert [message.to for message in mail.outbox] == [[customer.user.email]]
    uid = urlsafe_base64_encode(force_bytes(customer.user.pk))
    token = default_token_generator.make_token(customer.user)
    assert _link(mail.outbox[0]) == f"/hc/acme/password/set/{uid}/{token}/"


def test_profile_language_and_time_zone(customer, customer_client):
    response = customer_client.post(
        "/hc/acme/profile/", {"name": "李雷", "language": "zh-hans", "time_zone": "Asia/Shanghai"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.language, customer.time_zone, customer.user.name) == ("zh-hans", "Asia/Shanghai", "李雷")
    bad = customer_client.post("/hc/acme/profile/", {"name": "", "language": "fr", "time_zone": "Mars/Base"})
    assert bad.status_code == 422
    assert set(bad.context["form"].errors) == {"name", "language", "time_zone"}


def test_an_agent_invites_a_contact_from_the_contact_page(brand, agent, django_capture_on_commit_callbacks):
    contact = ContactFactory(email="zhou.jie@example.cn", name="周杰")
    client = Client()
    client.force_login(agent.user)
    page = client.get(f"/contacts/{contact.pk}/")
    assert f"/settings/help-centers/contacts/{contact.pk}/invite/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/help-centers/contacts/{contact.pk}/invite/", {"brand": brand.pk})
    assert response.status_code == 200
    assert "The invitation is sent." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["zhou.jie@example.cn"]]
    assert Customer.objects.get(contact=contact).user.has_usable_password() is False
    anonymous = Client().post(f"/settings/help-centers/contacts/{contact.pk}/invite/", {"brand": brand.pk})
    assert anonymous.status_code == 302
