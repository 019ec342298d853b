"""Signing in and out: lock-out, remember me, the agent's language and time zone, audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kefu.core.models import AuditEntry
from kefu.org.models import SignInAttempt
from kefu.org.services import sign_in_attempt_record, sign_in_locked
from kefu.org.services.sign_in import EMAIL_LIMIT, IP_LIMIT
from kefu.org.tests.factories import PASSWORD, AgentFactory

LOCKED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."
WRONG = "The email or password is not correct."
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def sign_in(client, email="zhang.wei@kefu.test", password=PASSWORD, **extra):
    return client.post("/login/", {"email": email, "password": password, **extra}, REMOTE_ADDR="10.0.0.1")


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


@pytest.mark.django_db
def test_signing_in_with_the_email_in_any_case_opens_a_browser_session(client, agent):
    response = sign_in(client, email=" ZHANG.Wei@kefu.test ")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == agent.user_id
    assert client.session.get_expire_at_browser_close() is True
    entry = AuditEntry.objects.get(action="user.signed_in")
    assert (entry.actor_id, entry.object_id, entry.changes) == (
        agent.user_id,
        agent.user_id,
        {"ip_address": "10.0.0.1"},
    )


@pytest.mark.django_db
def test_remember_me_keeps_the_session_for_30_days(client, agent):
    sign_in(client, remember_me="on")
    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == 30 * 24 * 60 * 60


@pytest.mark.django_db
def test_signing_in_applies_the_agents_language_and_time_zone(client, department):
    AgentFactory(
        user__email="li.na@kefu.test", language="en", time_zone="Europe/Berlin", departments=[department]
    )
    response = sign_in(client, email="li.na@kefu.test")
    assert response.cookies["django_language"].value == "en"
    assert client.session["kefu_time_zone"] == "Europe/Berlin"


@pytest.mark.django_db
def test_the_next_parameter_is_followed_only_within_the_site(client, agent):
    assert sign_in(client, next="/profile/")["Location"] == "/profile/"
    client.logout()
    assert sign_in(client, next="https://evil.example/")["Location"] == "/"


@pytest.mark.django_db
def test_a_wrong_password_is_a_form_error_and_is_recorded(client, agent):
    response = sign_in(client, password="wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG]
    assert "_auth_user_id" not in client.session
    assert list(SignInAttempt.objects.values_list("email", "ip_address")) == [
        ("zhang.wei@kefu.test", "10.0.0.1")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"email": "not-an-email", "password": "x"}, {"email": "a@b.cn"}])
def test_malformed_input_is_a_form_error_not_a_500(client, data):
    response = client.post("/login/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not SignInAttempt.objects.exists()


@pytest.mark.django_db
def test_five_failures_lock_the_address_and_the_message_does_not_reveal_the_account(client, agent):
    for _ in range(EMAIL_LIMIT - 1):
        assert sign_in(client, password="wrong").context["form"].non_field_errors() == [WRONG]
    assert sign_in(client, password="wrong").context["form"].non_field_errors() == [LOCKED]
    locked = sign_in(client)  # even the right password is refused while locked
    assert locked.context["form"].non_field_errors() == [LOCKED]
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.count() == EMAIL_LIMIT  # refused attempts while locked are not counted
    entry = AuditEntry.objects.get(action="sign_in.locked_out")
    assert entry.changes == {"email": "zhang.wei@kefu.test", "ip_address": "10.0.0.1"}

    for _ in range(EMAIL_LIMIT):
        response = sign_in(client, email="nobody@kefu.test", password="wrong")
    assert response.context["form"].non_field_errors() == [LOCKED]


@pytest.mark.django_db
def test_a_deactivated_agent_cannot_sign_in(client, agent):
    agent.user.is_active = False
    agent.user.save()
    assert sign_in(client).context["form"].non_field_errors() == [WRONG]


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_counter_of_the_address(client, agent):
    for _ in range(EMAIL_LIMIT - 1):
        sign_in(client, password="wrong")
    sign_in_attempt_record(email="other@kefu.test", ip_address="10.0.0.1")
    assert sign_in(client).status_code == 302
    assert list(SignInAttempt.objects.values_list("email", flat=True)) == ["other@kefu.test"]


@pytest.mark.django_db
def test_the_lock_lasts_15_minutes_from_the_locking_failure():
    for n in range(EMAIL_LIMIT):
        locked = sign_in_attempt_record(email="a@kefu.test", ip_address=None, now=minutes(n * 3))
    assert locked is True
    assert sign_in_locked(email="A@kefu.test", ip_address=None, now=minutes(12)) is True
    assert sign_in_locked(email="a@kefu.test", ip_address=None, now=minutes(26.9)) is True
    assert sign_in_locked(email="a@kefu.test", ip_address=None, now=minutes(27)) is False
    assert sign_in_locked(email="b@kefu.test", ip_address=None, now=minutes(13)) is False


@pytest.mark.django_db
def test_failures_spread_over_more_than_15_minutes_do_not_lock():
    for n in range(EMAIL_LIMIT):
        locked = sign_in_attempt_record(email="a@kefu.test", ip_address=None, now=minutes(n * 4))
    assert locked is False
    assert sign_in_locked(email="a@kefu.test", ip_address=None, now=minutes(16.5)) is False


@pytest.mark.django_db
def test_an_ip_address_is_locked_after_its_own_limit_across_addresses():
    for n in range(IP_LIMIT - 1):
        assert sign_in_attempt_record(email=f"u{n}@kefu.test", ip_address="10.0.0.9", now=T0) is False
    assert sign_in_attempt_record(email="last@kefu.test", ip_address="10.0.0.9", now=T0) is True
    assert sign_in_locked(email="fresh@kefu.test", ip_address="10.0.0.9", now=minutes(1)) is True
    assert sign_in_locked(email="fresh@kefu.test", ip_address="10.0.0.8", now=minutes(1)) is False


@pytest.mark.django_db
def test_the_sign_in_page_redirects_a_signed_in_agent(client, agent):
    client.force_login(agent.user)
    assert client.get("/login/")["Location"] == "/"


@pytest.mark.django_db
def test_the_sign_in_page_offers_both_languages(client):
    body = client.get("/login/").content.decode()
    assert 'name="language" value="zh-hans"' in body
    assert 'name="language" value="en"' in body
    assert 'name="remember_me"' in body


@pytest.mark.django_db
def test_signing_out_needs_a_post_and_is_audited(client, agent):
    client.force_login(agent.user)
    assert client.get("/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.get(action="user.signed_out").actor_id == agent.user_id


@pytest.mark.django_db
def test_the_agents_time_zone_is_active_while_rendering(client, department, settings):
    from django.utils.timezone import get_current_timezone_name

    seen = {}

    def probe(request):
        from django.http import HttpResponse

        seen["zone"] = get_current_timezone_name()
        return HttpResponse("ok")

    from kefu.org.middleware import TimeZoneMiddleware

    berlin = AgentFactory(time_zone="Europe/Berlin", departments=[department])
    client.force_login(berlin.user)
    request = client.get("/").wsgi_request
    TimeZoneMiddleware(probe)(request)
    assert seen["zone"] == "Europe/Berlin"
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", ["9" * 30, "²", "-1", "0"])
def test_an_invitation_link_naming_no_possible_user_is_refused_not_a_crash(client, user_id):
    uidb64 = urlsafe_base64_encode(force_bytes(user_id))
    response = client.get(f"/set-password/{uidb64}/abc-123/")
    assert response.status_code == 400
    assert response.context["valid_link"] is False
