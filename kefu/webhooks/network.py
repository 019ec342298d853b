"""Where a webhook may be sent: not into the help desk's own network unless an administrator allows it.

A target whose host resolves to a private, loopback, link-local, shared, multicast, reserved or
unspecified address is refused, unless the address lies in one of ``KEFU_WEBHOOK_ALLOWED_NETWORKS``
(comma-separated CIDRs, e.g. ``127.0.0.0/8,10.1.0.0/16``). The check runs when a subscription is saved
and again for every attempt, on the addresses the request will then use, and the request connects to
the address that was checked (not to a fresh lookup), so a name that later resolves elsewhere (DNS
rebinding) cannot reach an internal host.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]


class TargetRefused(ValueError):
    """The URL may not be used; the message says why (shown to administrators)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: its parts and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def allowed_networks() -> list[IPNetwork]:
    networks: list[IPNetwork] = []
    for raw in settings.KEFU_WEBHOOK_ALLOWED_NETWORKS:
        try:
            networks.append(ipaddress.ip_network(raw.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"KEFU_WEBHOOK_ALLOWED_NETWORKS: {raw!r} is not a network (write CIDRs such as 10.1.0.0/16)"
            ) from exc
    return networks


def is_internal(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_internal(address.ipv4_mapped)
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str, port: int, resolve: Resolver) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    unresolvable = TargetRefused(_("The host name %(host)s does not resolve.") % {"host": host})
    try:
        addresses = [ipaddress.ip_address(item.split("%", 1)[0]) for item in resolve(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise unresolvable from exc
    if not addresses:
        raise unresolvable
    return addresses


def check_target(url: str, *, resolve: Resolver | None = None) -> Target:
    """The target of ``url`` with the address to use, or ``TargetRefused`` saying why not."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused(_("Enter an http:// or https:// URL."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put no user name or password in the URL; the signature authenticates us."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused(_("The port is not valid.")) from exc
    host = parts.hostname
    addresses = _resolve(host, port, resolve or system_resolver)
    networks = allowed_networks()
    for address in addresses:
        if is_internal(address) and not any(address in network for network in networks):
            raise TargetRefused(
                _(
                    "%(address)s is a private, loopback or link-local address; an administrator can allow "
                    "its network in KEFU_WEBHOOK_ALLOWED_NETWORKS."
                )
                % {"address": address}
            )
    return Target(url=url, scheme=parts.scheme, host=host, port=port, address=str(addresses[0]))
