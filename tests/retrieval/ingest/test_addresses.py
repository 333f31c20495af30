"""Safe fetching: only public addresses are fetched, checked after resolution and on every redirect hop.

The resolver is a table (``FakeResolver``) and the network a transport (``PublicNetwork``) that delivers
what is sent to a public test address to the local server: no DNS, nothing sent beyond 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from retrieval import BlockedAddressError, UnreachableError
from retrieval.ingest import ArticleStore, Ingestor, Status, fetch
from retrieval.ingest.addresses import address_problem, literal_address
from retrieval.ingest.fetch import HTML_CONTENT_TYPES
from tests.ingest_server import RSS, NewsServer, Route, fixture, standard_routes
from tests.public_network import PUBLIC_HOST, PUBLIC_V4, PUBLIC_V6, FakeResolver, PublicNetwork
from tests.retrieval.ingest.conftest import FAST_LIMITS

PUBLIC_ONLY = replace(FAST_LIMITS, allow_private=False)
RESOLVER_TABLE = {
    PUBLIC_HOST: [PUBLIC_V4],
    "v6.example": [PUBLIC_V6],
    "intranet.example": ["10.0.0.7"],
    "metadata.example": ["169.254.169.254"],
    "loopback6.example": ["::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "mixed.example": [PUBLIC_V4, "127.0.0.1"],  # one public answer must not vouch for the other
}


@pytest.fixture
def server() -> Iterator[NewsServer]:
    routes = standard_routes()
    with NewsServer(routes) as news_server:
        port = httpx.URL(news_server.base).port
        for name, location in {
            "/to/loopback": f"http://127.0.0.1:{port}/news/1",
            "/to/private": "http://10.0.0.1/news/1",
            "/to/link-local": "http://169.254.169.254/latest/meta-data/",
            "/to/ipv6-loopback": f"http://[::1]:{port}/news/1",
            "/to/private-name": "http://intranet.example/news/1",
            "/to/public": "/news/2",
        }.items():
            routes[name] = Route(status=302, headers={"Location": location})
        routes["/private-feed.rss"] = Route(
            fixture("feed.rss.xml").replace(b"{{EXTRA}}", b""), content_type=RSS
        )  # its entries link to {{BASE}}, the server's 127.0.0.1 address
        yield news_server


@pytest.fixture
def network(server: NewsServer) -> Iterator[PublicNetwork]:
    transport = PublicNetwork(server)
    yield transport
    transport.close()


@pytest.fixture
def resolver() -> FakeResolver:
    return FakeResolver(RESOLVER_TABLE)


@pytest.fixture
def client(network: PublicNetwork) -> Iterator[httpx.Client]:
    with httpx.Client(transport=network, follow_redirects=False) as http_client:
        yield http_client


def _get(client: httpx.Client, url: str, resolver: FakeResolver) -> httpx.URL:
    document = fetch(client, url, accept=HTML_CONTENT_TYPES, limits=PUBLIC_ONLY, resolver=resolver)
    return httpx.URL(document.url)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "address is loopback"),
        ("127.255.0.9", "address is loopback"),
        ("::1", "address is loopback"),
        ("::ffff:127.0.0.1", "address is loopback"),
        ("10.1.2.3", "address is private"),
        ("172.16.0.1", "address is private"),
        ("192.168.1.1", "address is private"),
        ("fd00::1", "address is private"),
        ("169.254.169.254", "address is link-local"),
        ("fe80::1", "address is link-local"),
        ("224.0.0.1", "address is multicast"),
        ("ff02::1", "address is multicast"),
        ("0.0.0.0", "address is reserved"),
        ("240.0.0.1", "address is reserved"),
        ("::", "address is reserved"),
        ("100.64.0.1", "address is not public"),  # carrier-grade NAT
        (PUBLIC_V4, None),
        (PUBLIC_V6, None),
        ("8.8.8.8", None),
    ],
)
def test_each_kind_of_address_is_named(address: str, reason: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("[::1]", "::1"), ("10.0.0.1", "10.0.0.1")],
)
def test_legacy_spellings_of_addresses_are_read_as_addresses(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/news/1", "address is loopback"),
        ("http://10.1.2.3/news/1", "address is private"),
        ("http://169.254.169.254/latest/meta-data/", "address is link-local"),
        ("http://[::1]:{port}/news/1", "address is loopback"),
        ("http://[::ffff:127.0.0.1]:{port}/news/1", "address is loopback"),
        ("http://2130706433:{port}/news/1", "address is loopback"),
        ("http://intranet.example/news/1", r"address is private: intranet\.example \(10\.0\.0\.7\)"),
        ("http://metadata.example/", "address is link-local"),
        ("http://loopback6.example:{port}/news/1", "address is loopback"),
        ("http://mapped.example:{port}/news/1", "address is loopback"),
        ("http://mixed.example:{port}/news/1", "address is loopback"),
    ],
)
def test_urls_that_lead_to_non_public_addresses_are_refused_before_sending(
    client: httpx.Client,
    network: PublicNetwork,
    server: NewsServer,
    resolver: FakeResolver,
    url: str,
    reason: str,
) -> None:
    with pytest.raises(BlockedAddressError, match=reason):
        _get(client, url.format(port=httpx.URL(server.base).port), resolver)
    assert network.sent == []
    assert not server.hits


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to/loopback", "address is loopback"),
        ("/to/private", "address is private"),
        ("/to/link-local", "address is link-local"),
        ("/to/ipv6-loopback", "address is loopback"),
        ("/to/private-name", "address is private"),
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused_at_that_hop(
    client: httpx.Client,
    network: PublicNetwork,
    server: NewsServer,
    resolver: FakeResolver,
    path: str,
    reason: str,
) -> None:
    with pytest.raises(BlockedAddressError, match=reason):
        _get(client, f"http://{PUBLIC_HOST}{path}", resolver)
    assert network.hosts() == [PUBLIC_V4]  # the first hop only
    assert dict(server.hits) == {path: 1}


def test_a_public_host_is_fetched_from_the_address_that_was_checked(
    client: httpx.Client, network: PublicNetwork, resolver: FakeResolver
) -> None:
    url = _get(client, f"http://{PUBLIC_HOST}/to/public", resolver)
    assert url == httpx.URL(f"http://{PUBLIC_HOST}/news/2")  # the name, not the address, is reported
    assert network.hosts() == [PUBLIC_V4, PUBLIC_V4]
    assert [request.headers["host"] for request in network.sent] == [PUBLIC_HOST, PUBLIC_HOST]
    assert resolver.lookups == [PUBLIC_HOST, PUBLIC_HOST]  # every hop is checked again


def test_an_ipv6_public_host_is_pinned_too(
    client: httpx.Client, network: PublicNetwork, resolver: FakeResolver
) -> None:
    _get(client, "http://v6.example:8080/news/1", resolver)
    (request,) = network.sent
    assert request.url.host == PUBLIC_V6 and request.url.port == 8080
    assert request.headers["host"] == "v6.example:8080"


def test_a_changed_dns_answer_after_the_check_is_never_used(
    client: httpx.Client, network: PublicNetwork
) -> None:
    """DNS rebinding: a name that answers public for the check and loopback right after."""
    answers = iter([[PUBLIC_V4], ["127.0.0.1"], ["127.0.0.1"]])
    lookups: list[str] = []

    def rebinding(host: str) -> list[str]:
        lookups.append(host)
        return next(answers)

    fetch(
        client,
        "http://rebind.example/news/1",
        accept=HTML_CONTENT_TYPES,
        limits=PUBLIC_ONLY,
        resolver=rebinding,
    )
    assert lookups == ["rebind.example"]  # resolved once, by the check; httpx never resolves the name
    assert network.hosts() == [PUBLIC_V4]


def test_https_keeps_the_name_for_tls_while_connecting_to_the_address(resolver: FakeResolver) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<html></html>")

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        fetch(
            client,
            f"https://{PUBLIC_HOST}/news/1",
            accept=HTML_CONTENT_TYPES,
            limits=PUBLIC_ONLY,
            resolver=resolver,
        )
    (request,) = seen
    assert (request.url.scheme, request.url.host) == ("https", PUBLIC_V4)
    assert request.headers["host"] == PUBLIC_HOST
    assert request.extensions["sni_hostname"] == PUBLIC_HOST  # SNI and the certificate check
    assert request.headers["connection"] == "close"  # never reused for another name at that address


def test_a_name_that_does_not_resolve_is_unreachable(client: httpx.Client, resolver: FakeResolver) -> None:
    with pytest.raises(UnreachableError, match=r"cannot resolve nowhere\.example"):
        _get(client, "http://nowhere.example/", resolver)


def test_private_addresses_are_fetched_when_allowed(server: NewsServer) -> None:
    def no_dns(host: str) -> list[str]:
        raise AssertionError("no resolution is needed when private fetching is allowed")

    with httpx.Client(trust_env=False) as client:
        document = fetch(
            client, server.url("/news/1"), accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS, resolver=no_dns
        )
    assert document.body == fixture("news_1.html")


@pytest.fixture
def public_ingestor(store: ArticleStore, client: httpx.Client, resolver: FakeResolver) -> Ingestor:
    return Ingestor(store=store, client=client, limits=PUBLIC_ONLY, resolver=resolver)


def test_ingestion_reports_the_reason_and_stores_nothing(
    public_ingestor: Ingestor, store: ArticleStore, server: NewsServer, network: PublicNetwork
) -> None:
    outcomes = public_ingestor.add(
        [server.url("/news/1"), "http://intranet.example/news/2", f"http://{PUBLIC_HOST}/news/3"]
    )
    assert [outcome.status for outcome in outcomes] == [Status.FAILED, Status.FAILED, Status.ADDED]
    assert "address is loopback: 127.0.0.1" in outcomes[0].detail
    assert "address is private: intranet.example (10.0.0.7)" in outcomes[1].detail
    assert store.count() == 1
    assert network.hosts() == [PUBLIC_V4]


def test_a_feed_on_a_private_address_is_not_followed(
    public_ingestor: Ingestor, store: ArticleStore, server: NewsServer
) -> None:
    outcome = public_ingestor.follow_feed(server.url("/feed.rss"))
    assert outcome.status is Status.FAILED
    assert "address is loopback" in outcome.detail
    assert store.feeds() == ()


def test_feed_entries_that_point_at_private_addresses_are_refused(
    public_ingestor: Ingestor, store: ArticleStore, server: NewsServer
) -> None:
    assert public_ingestor.follow_feed(f"http://{PUBLIC_HOST}/private-feed.rss").status is Status.ADDED
    outcomes = public_ingestor.refresh()
    assert [outcome.status for outcome in outcomes] == [Status.FAILED, Status.FAILED]
    assert all("address is loopback" in outcome.detail for outcome in outcomes)
    assert store.count() == 0
    assert "/news/1" not in server.hits and "/news/2" not in server.hits
