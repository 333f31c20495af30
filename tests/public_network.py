"""A stand-in for the internet in address-filtering tests: nothing ever leaves 127.0.0.1.

``PublicNetwork`` is an httpx transport. A request sent to one of its public addresses (what the
fake resolver answers for ``public.example``) is delivered to the local test server; every request
is recorded as sent, so a test can assert where traffic went and that refused hosts saw none. A
request to any other address is a test failure, never a real connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from tests.ingest_server import NewsServer

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
PUBLIC_HOST = "public.example"


class FakeResolver:
    """Host names to addresses from a table (no DNS); unknown names do not resolve. Counts lookups."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = dict(table)
        self.lookups: list[str] = []

    def __call__(self, host: str) -> Sequence[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return self.table[host]


class PublicNetwork(httpx.BaseTransport):
    """Delivers requests for ``public_addresses`` to ``server``; records every request."""

    def __init__(self, server: NewsServer, public_addresses: Sequence[str] = (PUBLIC_V4, PUBLIC_V6)) -> None:
        self._server = server
        self._public = frozenset(public_addresses)
        self._local = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        host = request.url.host
        if host not in self._public:
            raise AssertionError(f"a request left for {host}, which is not a public test address")
        local = httpx.URL(self._server.base)
        delivered = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host=local.host, port=local.port),
            headers=request.headers,
        )
        return self._local.handle_request(delivered)

    def close(self) -> None:
        self._local.close()

    def hosts(self) -> list[str]:
        """The address each request was sent to, in order."""
        return [request.url.host for request in self.sent]
