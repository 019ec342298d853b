import pytest

from kefu.org.models import ApiKey
from kefu.org.services import api_key_authenticate
from kefu.org.tests.factories import PASSWORD


@pytest.fixture
def signed_in(client, agent):
    assert client.login(username="ZHANG.WEI@kefu.test", password=PASSWORD), "sign-in ignores the email's case"
    return client


@pytest.mark.django_db
def test_pages_require_sign_in(client):
    for path in ("/", "/settings/api-keys/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_the_sign_in_page_speaks_both_languages(client):
    assert "Sign in to Kefu" in client.get("/login/", headers={"accept-language": "en"}).content.decode()
    assert "登录" in client.get("/login/", headers={"accept-language": "zh-hans"}).content.decode()


@pytest.mark.django_db
def test_creating_a_key_shows_the_secret_once_and_it_works(signed_in, agent):
    response = signed_in.post("/settings/api-keys/", {"name": "CRM"})
    assert response.status_code == 200
    secret = response.context["created_secret"]
    assert secret in response.content.decode()
    assert api_key_authenticate(secret) == agent.user
    assert secret not in signed_in.get("/settings/api-keys/").content.decode()


@pytest.mark.django_db
def test_the_htmx_request_gets_only_the_partial(signed_in):
    response = signed_in.post("/settings/api-keys/", {"name": "CRM"}, headers={"HX-Request": "true"})
    assert response.templates[0].name == "org/partials/api_keys.html"
    assert "<html" not in response.content.decode()


@pytest.mark.django_db
def test_an_empty_name_is_an_error_not_a_key(signed_in):
    response = signed_in.post("/settings/api-keys/", {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_revoking_my_key_but_not_someone_elses(signed_in, agent, other_agent):
    from kefu.org.tests.factories import ApiKeyFactory

    mine, my_secret = ApiKeyFactory.create(agent.user)
    theirs, their_secret = ApiKeyFactory.create(other_agent.user)
    assert signed_in.post(f"/settings/api-keys/{theirs.pk}/revoke/").status_code == 404
    assert api_key_authenticate(their_secret) == other_agent.user
    assert signed_in.post(f"/settings/api-keys/{mine.pk}/revoke/").status_code == 302
    assert api_key_authenticate(my_secret) is None
    assert signed_in.get(f"/settings/api-keys/{mine.pk}/revoke/").status_code == 405
