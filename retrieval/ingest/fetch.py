"""Download pages and feeds over HTTP with hard limits, and decode HTML bytes to text.

The caller owns the ``httpx.Client`` (connection pooling, proxies, and the test seam: tests pass a
client pointed at a local server). Redirects are followed here, not by the client, so the limit, the
http(s)-only rule and the public-address rule (:mod:`retrieval.ingest.addresses`) hold on every hop
whatever client is passed in.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import httpx

from retrieval.errors import (
    BadStatusError,
    BadURLError,
    DecodeError,
    FetchError,
    FetchTimeoutError,
    TooLargeError,
    TooManyRedirectsError,
    UnreachableError,
    UnsupportedContentError,
)
from retrieval.ingest.addresses import Resolver, literal_address, resolve_public, system_resolver

__all__ = [
    "FEED_CONTENT_TYPES",
    "HTML_CONTENT_TYPES",
    "DecodedText",
    "FetchLimits",
    "FetchedDocument",
    "decode_html",
    "fetch",
    "make_client",
]

logger = logging.getLogger(__name__)

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Feeds are served under many names in the wild; text/plain and text/html show up on misconfigured
# servers, and feedparser decides whether the bytes really are a feed.
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/feed+xml",
        "text/plain",
        "text/html",
    }
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "newsbot/0.1 (Arabic news question answering; +https://example.invalid/newsbot)"
_CHUNK_SIZE = 64 * 1024
# A <meta charset> must appear early in the document to count (the HTML spec says 1024 bytes;
# real pages put it after long <link> lists, so look a little further).
_META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How long and how much one download may take, and whether it may reach private addresses."""

    timeout: float = 15.0
    """Seconds allowed for connecting and for each read."""
    total_timeout: float = 30.0
    """Seconds allowed for the whole download, so a server trickling bytes cannot hold us."""
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    """Fetch from loopback, private, link-local... addresses too (a local test server, an intranet)."""


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """A downloaded body and what the server said about it."""

    requested_url: str
    url: str
    """The URL after redirects."""
    status: int
    content_type: str | None
    """The media type, lowercased, without parameters; None when the server sent none."""
    charset: str | None
    """The charset parameter of Content-Type, if any."""
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and where that choice came from."""

    text: str
    encoding: str
    source: str
    """One of "bom", "header", "meta", "detected"."""


def make_client(limits: FetchLimits | None = None) -> httpx.Client:
    """A client with our user agent and timeouts; redirects are left to :func:`fetch`."""
    limits = limits or FetchLimits()
    return httpx.Client(
        headers={"User-Agent": _USER_AGENT, "Accept-Language": "ar,en;q=0.5"},
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=False,
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    accept: frozenset[str],
    limits: FetchLimits,
    headers: Mapping[str, str] | None = None,
    resolver: Resolver = system_resolver,
) -> FetchedDocument:
    """GET ``url`` within ``limits`` and return its body if its content type is in ``accept``.

    Unless ``limits.allow_private``, each hop's host is resolved with ``resolver``, refused when any
    of its addresses is not public, and the request goes to the checked address.
    A response without a Content-Type is accepted (the parser decides). A 304 is returned as is,
    with an empty body, for conditional requests. Raises a :class:`FetchError` subclass otherwise.
    """
    deadline = time.monotonic() + limits.total_timeout
    current = url
    for _hop in range(limits.max_redirects + 1):
        _require_http(current)
        try:
            target = _Target.of(current, headers, resolver=None if limits.allow_private else resolver)
            result = _get_once(client, current, target, accept=accept, limits=limits, deadline=deadline)
        except httpx.TimeoutException as error:
            raise FetchTimeoutError(f"timed out after {limits.timeout:g} s: {current}") from error
        except (httpx.ConnectError, httpx.NetworkError) as error:
            raise UnreachableError(f"cannot reach {urlsplit(current).netloc}: {_short(error)}") from error
        except httpx.HTTPError as error:
            raise FetchError(f"download failed for {current}: {_short(error)}") from error
        if isinstance(result, str):
            logger.debug("redirect %s -> %s", current, result)
            current = result
            continue
        return FetchedDocument(
            requested_url=url,
            url=current,
            status=result.status_code,
            content_type=_media_type(result.headers.get("content-type")),
            charset=_charset_param(result.headers.get("content-type")),
            body=result.content,
            etag=result.headers.get("etag"),
            last_modified=result.headers.get("last-modified"),
        )
    raise TooManyRedirectsError(f"more than {limits.max_redirects} redirects from {url}")


@dataclass(frozen=True, slots=True)
class _Target:
    """Where one request really goes: the URL (its host replaced by the checked address), headers, TLS name."""

    url: httpx.URL | str
    headers: dict[str, str]
    extensions: dict[str, str]

    @classmethod
    def of(cls, url: str, headers: Mapping[str, str] | None, *, resolver: Resolver | None) -> _Target:
        """``url`` as is when ``resolver`` is None; else pinned to the public address its host resolves to."""
        plain = cls(url, dict(headers or {}), {})
        if resolver is None:
            return plain
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise BadURLError(f"not an absolute http(s) URL: {url!r}") from error
        host = parsed.raw_host.decode("ascii")
        public = resolve_public(host, resolver)
        if literal_address(host) is not None:
            return plain  # already an address, and a public one
        # The name stays in the Host header and in TLS (SNI and certificate check) while the
        # connection goes to the address that was checked, never to a second DNS answer.
        pinned = parsed.copy_with(host=str(public.address))
        headers = {**plain.headers, "Host": parsed.netloc.decode("ascii")}
        if parsed.scheme == "https":
            # The pool knows connections by address, not by name: a kept-alive TLS connection
            # verified for one name must not carry a request for another name at that address.
            headers["Connection"] = "close"
        return cls(pinned, headers, {"sni_hostname": host})


def _get_once(
    client: httpx.Client,
    url: str,
    target: _Target,
    *,
    accept: frozenset[str],
    limits: FetchLimits,
    deadline: float,
) -> httpx.Response | str:
    """One request for ``url`` sent to ``target``: the next URL for a redirect, or a fully read response."""
    with client.stream(
        "GET",
        target.url,
        headers=target.headers,
        timeout=limits.timeout,
        follow_redirects=False,
        extensions=target.extensions,
    ) as response:
        status = response.status_code
        if status in _REDIRECT_STATUSES and "location" in response.headers:
            return urljoin(url, response.headers["location"])
        if status == 304:
            response.read()
            return response
        if status >= 400:
            raise BadStatusError(status, url)
        media_type = _media_type(response.headers.get("content-type"))
        if media_type is not None and media_type not in accept:
            raise UnsupportedContentError(f"unsupported content type {media_type} at {url}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise TooLargeError(
                f"page is {int(declared):,} bytes, over the {limits.max_bytes:,}-byte limit: {url}"
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK_SIZE):
            size += len(chunk)
            if size > limits.max_bytes:
                raise TooLargeError(f"page exceeds the {limits.max_bytes:,}-byte limit: {url}")
            if time.monotonic() > deadline:
                raise FetchTimeoutError(f"download took over {limits.total_timeout:g} s: {url}")
            chunks.append(chunk)
        # Rebuild a plain response so the caller never touches the closed stream.
        return httpx.Response(
            status, headers=response.headers, content=b"".join(chunks), request=response.request
        )


def decode_html(body: bytes, header_charset: str | None = None) -> DecodedText:
    """Decode an HTML body: BOM, then the header charset, then <meta charset>, then detection.

    A declared charset that does not decode the bytes cleanly is skipped rather than trusted,
    because Arabic sites still mislabel windows-1256 pages. Raises :class:`DecodeError`.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedText(body.decode(encoding, errors="replace"), encoding, "bom")
    candidates: list[tuple[str | None, str]] = [(header_charset, "header")]
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    if match:
        candidates.append((match.group(1).decode("ascii"), "meta"))
    for label, source in candidates:
        codec = _codec_name(label)
        if codec is None:
            continue
        try:
            return DecodedText(body.decode(codec), codec, source)
        except UnicodeDecodeError:
            logger.debug("declared %s charset %s does not decode the page", source, codec)
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        return DecodedText(str(best), best.encoding, "detected")
    raise DecodeError("cannot tell the page's character encoding")


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def _require_http(url: str) -> None:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise UnsupportedContentError(f"only http(s) URLs are fetched: {url}")


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _short(error: BaseException) -> str:
    return str(error) or type(error).__name__
