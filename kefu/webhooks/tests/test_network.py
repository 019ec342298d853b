"""Where webhooks may go: public addresses, and internal ones only inside the allowed networks."""

from __future__ import annotations

import pytest

from kefu.webhooks.network import TargetRefused, check_target


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fe80::1]/hook",
    ],
)
def test_internal_addresses_are_refused(url, settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(TargetRefused) as caught:
        check_target(url)
    assert "KEFU_WEBHOOK_ALLOWED_NETWORKS" in str(caught.value)


def test_a_name_resolving_to_an_internal_address_is_refused(settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(TargetRefused):
        check_target("https://hooks.example.com/x", resolve=lambda host, port: ["93.184.216.34", "10.0.0.5"])


def test_allowed_networks_let_internal_receivers_in(settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.1.0.0/16"]

    assert check_target("http://127.0.0.1:9000/hook").address == "127.0.0.1"
    assert (
        check_target("http://intranet.corp/hook", resolve=lambda host, port: ["10.1.4.4"]).address
        == "10.1.4.4"
    )
    with pytest.raises(TargetRefused):
        check_target("http://10.2.0.1/hook")


def test_public_targets_are_accepted_and_pinned(settings):
    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = []
    target = check_target(
        "https://hooks.example.com:8443/x?y=1", resolve=lambda host, port: ["93.184.216.34"]
    )
    assert (target.scheme, target.host, target.port, target.address) == (
        "https",
        "hooks.example.com",
        8443,
        "93.184.216.34",
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "example.com/hook",
        "http:///nohost",
        "http://user:pw@93.184.216.34/",
        "http://1.2.3.4:99999/",
    ],
)
def test_malformed_urls_are_refused(url):
    with pytest.raises(TargetRefused):
        check_target(url)


def test_an_unresolvable_name_is_refused():
    def fail(host, port):
        raise OSError("no such host")

    with pytest.raises(TargetRefused) as caught:
        check_target("https://nowhere.invalid/x", resolve=fail)
    assert "nowhere.invalid" in str(caught.value)


def test_a_bad_allowed_network_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.KEFU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "intranet"]
    with pytest.raises(ImproperlyConfigured, match="intranet"):
        check_target("http://127.0.0.1/hook")
