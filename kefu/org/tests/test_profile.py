"""The profile page, the password change and the invitation's set-password link."""

from __future__ import annotations

import pytest
from django.core import mail

from kefu.core.actors import Actor, Source
from kefu.core.models import AuditEntry
from kefu.org.models import Agent
from kefu.org.services import agent_invite
from kefu.org.services.invitations import set_password_link
from kefu.org.tests.factories import PASSWORD, UserFactory

PROFILE = {
    "name": "张伟伟",
    "language": "en",
    "time_zone": "Europe/Berlin",
    "signature": "张伟 · 售后服务",
    "availability": "online",
}


@pytest.fixture
def signed_in(client, agent):
    client.force_login(agent.user)
    return client


@pytest.mark.django_db
def test_the_profile_page_shows_the_current_values(signed_in):
    response = signed_in.get("/profile/")
    assert response.status_code == 200
    assert response.context["form"].initial == {
        "name": "张伟",
        "language": "zh-hans",
        "time_zone": "Asia/Shanghai",
        "signature": "",
        "availability": "offline",
    }


@pytest.mark.django_db
def test_saving_the_profile_applies_language_and_time_zone(signed_in, agent):
    response = signed_in.post("/profile/", PROFILE)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert signed_in.session["kefu_time_zone"] == "Europe/Berlin"
    agent = Agent.objects.select_related("user").get(pk=agent.pk)
    assert (agent.user.name, agent.language, agent.time_zone, agent.signature, agent.availability) == (
        "张伟伟",
        "en",
        "Europe/Berlin",
        "张伟 · 售后服务",
        "online",
    )
    entry = AuditEntry.objects.get(action="agent.profile_updated")
    assert entry.changes["time_zone"] == ["Asia/Shanghai", "Europe/Berlin"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("time_zone", "Mars/Olympus"), ("language", "fr"), ("availability", "asleep")]
)
def test_bad_profile_values_are_form_errors(signed_in, agent, field, value):
    response = signed_in.post("/profile/", {**PROFILE, field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Agent.objects.get(pk=agent.pk).language == "zh-hans"


@pytest.mark.django_db
def test_profile_needs_sign_in(client):
    assert client.get("/profile/")["Location"] == "/login/?next=/profile/"


@pytest.mark.django_db
def test_a_user_without_an_agent_profile_is_refused(client):
    client.force_login(UserFactory())
    assert client.get("/profile/").status_code == 403
    assert client.post("/profile/", PROFILE).status_code == 403


@pytest.mark.django_db
def test_changing_the_password_keeps_this_session(signed_in, agent):
    response = signed_in.post(
        "/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-secret",
            "new_password2": "a-new-long-secret",
        },
    )
    assert response.status_code == 302
    assert signed_in.get("/profile/").status_code == 200
    agent.user.refresh_from_db()
    assert agent.user.check_password("a-new-long-secret")
    assert AuditEntry.objects.filter(action="user.password_changed", actor_id=agent.user_id).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "old_password": "wrong",
                "new_password1": "a-new-long-secret",
                "new_password2": "a-new-long-secret",
            },
            "old_password",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
            "new_password2",
        ),
        (
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-secret",
                "new_password2": "other-long-secret",
            },
            "new_password2",
        ),
    ],
)
def test_a_refused_password_change_changes_nothing(signed_in, agent, data, field):
    response = signed_in.post("/profile/password/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    agent.user.refresh_from_db()
    assert agent.user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="user.password_changed").exists()


@pytest.mark.django_db
def test_an_invitation_mails_a_link_that_sets_the_password_once(
    client, admin_agent, department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = agent_invite(
            actor=Actor.agent(admin_agent.user),
            source=Source.WEB,
            email="Li.Na@kefu.test",
            name="李娜",
            site_url="http://testserver/",
            department_ids=[department.pk],
            language="en",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["li.na@kefu.test"], "You have been invited to Kefu")
    link = set_password_link("http://testserver/", invited.user)
    assert link in message.body
    path = link.removeprefix("http://testserver")

    page = client.get(path)
    assert (page.status_code, page.context["email"]) == (200, "li.na@kefu.test")
    short = client.post(path, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200
    assert "new_password2" in short.context["form"].errors
    done = client.post(path, {"new_password1": "a-long-secret-1", "new_password2": "a-long-secret-1"})
    assert done["Location"] == "/login/"
    invited.user.refresh_from_db()
    assert invited.user.check_password("a-long-secret-1")
    assert client.get(path).status_code == 400  # used once: the token no longer matches


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/set-password/xx/yy/", "/set-password/MQ/abc-def/", "/set-password/%F0/x/"]
)
def test_a_forged_set_password_link_is_refused(client, agent, path):
    response = client.post(path, {"new_password1": "a-long-secret-1", "new_password2": "a-long-secret-1"})
    assert response.status_code == 400
    agent.user.refresh_from_db()
    assert agent.user.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_footer_language_switch_sticks_in_the_profile(client, agent):
    """Switching to English in the footer keeps English after signing out and in again (the profile,
    not only the cookie, holds the choice)."""
    agent.language = "zh-hans"
    agent.save()
    client.force_login(agent.user)
    response = client.post("/language/", {"language": "en", "next": "/tickets/"})
    assert (response.status_code, response["Location"]) == (302, "/tickets/")
    assert response.cookies["django_language"].value == "en"
    agent.refresh_from_db()
    assert agent.language == "en"
    assert AuditEntry.objects.filter(action="agent.profile_updated").count() == 1
    client.logout()
    client.cookies.clear()
    signed_in = client.post("/login/", {"email": agent.user.email, "password": PASSWORD})
    assert signed_in.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_the_language_switch_refuses_other_sites_and_unknown_languages(client, agent):
    client.force_login(agent.user)
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies
    agent.refresh_from_db()
    assert agent.language == "zh-hans"
    assert client.get("/language/").status_code == 405
