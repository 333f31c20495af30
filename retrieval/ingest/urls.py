"""URL normalization, so that one article reached through different links is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from retrieval.errors import BadURLError

# Query parameters that track the click rather than name the page.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga"}
)
_TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left unescaped in paths (RFC 3986 pchar + "/"); everything else, Arabic included,
# is percent-encoded so that a raw and an encoded spelling of the same path compare equal.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter only tracks where a click came from."""
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """Return the canonical spelling of ``url`` used as the store's identity of a page.

    Lowercases scheme and host, drops default ports, the fragment and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid`` ...), sorts the remaining query and settles percent-encoding.
    Raises :class:`BadURLError` when ``url`` is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise BadURLError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.rstrip(".")  # .hostname is already lowercase
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as error:  # a malformed port
        raise BadURLError(f"not an absolute http(s) URL: {url!r}") from error
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{credentials}@{netloc}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def strip_tracking(url: str) -> str:
    """``url`` without its fragment and tracking parameters, otherwise as written: the link we show."""
    parts = urlsplit(url.strip())
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query = (
        parts.query if len(kept) == len(parse_qsl(parts.query, keep_blank_values=True)) else urlencode(kept)
    )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
