"""Keyset pagination over sorted indexes, with opaque, signed, expiring page tokens.

An index is a list of ``(sort key, id)`` tuples sorted ascending; the same index serves
ascending and descending listings. A token remembers the direction and the key of the item
at the page's edge, so a page is found with one bisect and a short walk, never by scanning
and sorting the whole collection.

A token also carries the sandbox time it was issued at and an HMAC over everything, keyed
by a secret of the sandbox. Calendly's page tokens expire, and a forged or edited token is
refused; so here a token older than the TTL, a tampered one, or one from another sandbox
answers 400 ``page_token`` "is invalid". The dispatcher sets the secret, the clock and the
TTL per request (:func:`use`), so handlers keep calling :func:`paginate` unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from .errors import invalid

IndexEntry = tuple[Any, ...]

#: How long a page token stays valid by default, in seconds of sandbox time.
DEFAULT_TTL = 300.0


@dataclass(frozen=True)
class TokenContext:
    """What signs and dates page tokens: a secret, a clock (epoch seconds) and a TTL."""

    secret: bytes
    now: Callable[[], float]
    ttl: float = DEFAULT_TTL


_fallback = TokenContext(secrets.token_bytes(16), time.time)
_context: ContextVar[TokenContext] = ContextVar("sandbox_page_tokens", default=_fallback)


@contextmanager
def use(context: TokenContext) -> Iterator[None]:
    """Sign and check the page tokens of the code inside with ``context``."""
    reset = _context.set(context)
    try:
        yield
    finally:
        _context.reset(reset)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _mac(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16])


def encode_token(direction: str, key: IndexEntry) -> str:
    ctx = _context.get()
    raw = json.dumps([direction, list(key), int(ctx.now())], separators=(",", ":")).encode()
    payload = _b64(raw)
    return f"{payload}.{_mac(ctx.secret, payload)}"


def decode_token(token: str) -> tuple[str, IndexEntry]:
    """The direction and edge key of a token this sandbox issued within the TTL."""
    ctx = _context.get()
    refused = invalid("page_token", "is invalid")
    payload, sep, mac = token.partition(".")
    if not sep or not hmac.compare_digest(mac.encode(), _mac(ctx.secret, payload).encode()):
        raise refused
    try:
        direction, key, issued = json.loads(_unb64(payload))
        if direction not in ("n", "p") or not isinstance(key, list):
            raise ValueError(direction)
        issued = float(issued)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise refused from None
    if ctx.now() - issued > ctx.ttl:
        raise refused
    return direction, tuple(key)


def paginate(
    index: Sequence[IndexEntry],
    count: int,
    token: str | None,
    *,
    descending: bool = False,
    predicate: Callable[[IndexEntry], bool] | None = None,
    lo: int = 0,
    hi: int | None = None,
) -> tuple[list[IndexEntry], str | None, str | None]:
    """One page of ``index[lo:hi]`` entries that pass ``predicate``.

    Returns ``(entries, next_page_token, previous_page_token)``.
    """
    hi = len(index) if hi is None else hi
    anchor: IndexEntry | None = None
    direction = "n"
    if token:
        direction, anchor = decode_token(token)
    forward = direction == "n"
    step = -1 if descending == forward else 1
    if anchor is None:
        pos = hi - 1 if descending else lo
    elif step == 1:
        pos = max(bisect_right(index, anchor, lo, hi), lo)
    else:
        pos = min(bisect_left(index, anchor, lo, hi), hi) - 1
    found: list[IndexEntry] = []
    while lo <= pos < hi and len(found) <= count:
        entry = index[pos]
        if predicate is None or predicate(entry):
            found.append(entry)
        pos += step
    more = len(found) > count
    found = found[:count]
    if forward:
        items = found
        has_next, has_prev = more, anchor is not None
    else:
        items = found[::-1]
        has_next, has_prev = True, more
    next_token = encode_token("n", items[-1]) if has_next and items else None
    prev_token = encode_token("p", items[0]) if has_prev and items else None
    return items, next_token, prev_token


def parse_count(raw: str | None) -> int:
    if raw is None or raw == "":
        return 20
    try:
        value = int(raw)
    except ValueError:
        raise invalid("count", "must be an integer between 1 and 100") from None
    if not 1 <= value <= 100:
        raise invalid("count", "must be between 1 and 100")
    return value


def parse_sort(raw: str | None, allowed: Sequence[str], default: str) -> tuple[str, bool]:
    """``field:asc|desc`` (several pairs may be comma-separated; the first one orders)."""
    value = raw if raw else default
    pairs = [p.strip() for p in value.split(",") if p.strip()]
    if not pairs:
        raise invalid("sort", f"must be one of {', '.join(allowed)} followed by :asc or :desc")
    parsed: list[tuple[str, bool]] = []
    for pair in pairs:
        field, sep, direction = pair.partition(":")
        if field not in allowed or (sep and direction not in ("asc", "desc")):
            raise invalid(
                "sort", f"must be one of {', '.join(allowed)} followed by :asc or :desc"
            )
        parsed.append((field, direction == "desc"))
    return parsed[0]
