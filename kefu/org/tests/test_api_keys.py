import pytest

from kefu.core.actors import Actor, Source
from kefu.core.errors import NotFound, PermissionDenied
from kefu.org.models import ApiKey
from kefu.org.services import api_key_authenticate, api_key_create, api_key_revoke


@pytest.mark.django_db
def test_a_key_authenticates_its_user_and_only_its_digest_is_stored(agent):
    key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")

    assert api_key_authenticate(secret) == agent.user
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "kefu", "kefu_x_y", "Bearer", "other_abc_def"])
def test_malformed_or_unknown_keys_do_not_authenticate(agent, bad):
    api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")
    assert api_key_authenticate(bad) is None


@pytest.mark.django_db
def test_a_tampered_secret_with_a_valid_prefix_is_refused(agent):
    _key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")
    assert api_key_authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None


@pytest.mark.django_db
def test_a_revoked_key_and_a_deactivated_user_no_longer_authenticate(agent):
    key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")
    api_key_revoke(actor=Actor.agent(agent.user), source=Source.WEB, key_id=key.pk)
    assert api_key_authenticate(secret) is None

    _key, second = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM 2")
    agent.user.is_active = False
    agent.user.save()
    assert api_key_authenticate(second) is None


@pytest.mark.django_db
def test_an_agent_cannot_revoke_someone_elses_key(agent, other_agent):
    key, _secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=other_agent.user, name="x")
    with pytest.raises(PermissionDenied):
        api_key_revoke(actor=Actor.agent(agent.user), source=Source.WEB, key_id=key.pk)
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


@pytest.mark.django_db
def test_revoking_an_unknown_key_is_not_found(agent):
    with pytest.raises(NotFound):
        api_key_revoke(actor=Actor.agent(agent.user), source=Source.WEB, key_id=999)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cached_key_stops_working_as_soon_as_it_is_revoked_or_its_user_deactivated(
    agent, django_assert_num_queries
):
    key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")
    assert api_key_authenticate(secret) == agent.user
    with django_assert_num_queries(0):  # the key, its user and the catalogue version are known
        assert api_key_authenticate(secret) == agent.user
    api_key_revoke(actor=Actor.agent(agent.user), source=Source.WEB, key_id=key.pk)
    assert api_key_authenticate(secret) is None

    _key, second = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM 2")
    assert api_key_authenticate(second) == agent.user
    agent.user.is_active = False
    agent.user.save(update_fields=["is_active"])
    assert api_key_authenticate(second) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_caller_gets_its_own_copy_of_the_user(agent):
    _key, secret = api_key_create(actor=Actor.system(), source=Source.IMPORT, user=agent.user, name="CRM")
    first = api_key_authenticate(secret)
    first.name = "changed by one request"
    assert api_key_authenticate(secret).name == agent.user.name
