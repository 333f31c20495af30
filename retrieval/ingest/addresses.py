"""Which addresses a download may reach: public ones only, unless private fetching is allowed.

An admin's mistyped or malicious link (or a feed entry, or a redirect) must not make the bot fetch
internal services: loopback, private networks, link-local (cloud metadata at 169.254.169.254),
multicast and reserved ranges are refused, for IPv4 and IPv6. The host is resolved here, through a
``Resolver`` (the test seam: tests never do real DNS), every address it resolves to is checked, and the
request is then sent to the checked address itself (see :func:`retrieval.ingest.fetch.fetch`), so a
DNS answer that changes between the check and the connection (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retrieval.errors import BlockedAddressError, UnreachableError

__all__ = ["IPAddress", "Resolver", "address_problem", "resolve_public", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]
"""Host name in, its addresses (as text) out; raises ``OSError`` when the name does not resolve."""


def system_resolver(host: str) -> Sequence[str]:
    """The host's addresses from the operating system's resolver (``getaddrinfo``)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from ("address is private"...), or None when it is public.

    The specific ranges are named first so the reason is useful; ``is_global`` then catches the rest
    (shared address space 100.64/10, documentation and benchmarking ranges, 6to4 relays...).
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)  # ::ffff:127.0.0.1 is 127.0.0.1
    if address.is_loopback:
        return "address is loopback"
    if address.is_link_local:
        return "address is link-local"
    if address.is_multicast:
        return "address is multicast"
    if address.is_unspecified or address.is_reserved:
        return "address is reserved"
    if address.is_private:
        return "address is private"
    if not address.is_global:
        return "address is not public"
    return None


@dataclass(frozen=True, slots=True)
class PublicAddress:
    """A host and the checked address to connect to for it."""

    host: str
    address: IPAddress


def resolve_public(host: str, resolver: Resolver) -> PublicAddress:
    """The address to connect to for ``host``, after checking that every address it has is public.

    Refusing when any address is private (not only the first) closes the trick of a name with one
    public and one private answer. Raises :class:`BlockedAddressError` or :class:`UnreachableError`.
    """
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [_parse(text) for text in resolver(host)]
        except (OSError, UnicodeError, ValueError) as error:
            raise UnreachableError(f"cannot resolve {host}: {error}") from error
        if not addresses:
            raise UnreachableError(f"cannot resolve {host}: no address")
    for address in addresses:
        problem = address_problem(address)
        if problem is not None:
            shown = host if literal is not None else f"{host} ({address})"
            raise BlockedAddressError(f"{problem}: {shown}; only public addresses are fetched")
    return PublicAddress(host, addresses[0])


def literal_address(host: str) -> IPAddress | None:
    """``host`` as an address when it is written as one, including legacy IPv4 forms (``2130706433``,
    ``0x7f.1``) that resolvers accept and that would otherwise get past a name-only check."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except (OSError, ValueError):
        return None


def _parse(text: str) -> IPAddress:
    # getaddrinfo spells link-local IPv6 answers with their zone ("fe80::1%eth0").
    return ipaddress.ip_address(text.split("%", 1)[0])
