"""One page of a Calendly list, and the iterator that follows ``next_page_token``.

Calendly lists answer ``{"collection": [...], "pagination": {"next_page_token": ...}}``.
To get the next page the same query is sent again with ``page_token`` (REFERENCE.md
section 4), so callers of ``iter_*`` never see a cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidResponse


@dataclass(frozen=True)
class Page:
    """One page: its items, the tokens to move either way (``None`` at the ends), the body."""

    items: list[dict[str, Any]]
    next_page_token: str | None = None
    previous_page_token: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_page_token is not None


def _token(pagination: Mapping[str, Any], name: str) -> str | None:
    value = pagination.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidResponse(f"pagination.{name} is not a string.")
    return value


def collection(body: Any) -> list[dict[str, Any]]:
    """The ``collection`` list of a list response."""
    if not isinstance(body, dict) or not isinstance(body.get("collection"), list):
        raise InvalidResponse("The response has no 'collection' list.")
    items = body["collection"]
    if not all(isinstance(item, dict) for item in items):
        raise InvalidResponse("The 'collection' holds something that is not an object.")
    return items


def page_from(body: Any) -> Page:
    """A ``Page`` from a paged list response."""
    items = collection(body)
    pagination = body.get("pagination") or {}
    if not isinstance(pagination, Mapping):
        raise InvalidResponse("The response's 'pagination' is not an object.")
    return Page(
        items=items,
        next_page_token=_token(pagination, "next_page_token"),
        previous_page_token=_token(pagination, "previous_page_token"),
        raw=body,
    )


def iter_pages(
    fetch: Callable[[str | None], Page], page_token: str | None = None
) -> Iterator[Page]:
    """Every page, starting at ``page_token``, until ``next_page_token`` is ``None``."""
    seen: set[str] = set()
    token = page_token
    while True:
        page = fetch(token)
        yield page
        token = page.next_page_token
        if token is None:
            return
        if token in seen:
            raise InvalidResponse(f"Calendly repeated the page token {token!r}; stopping.")
        seen.add(token)


def iter_items(
    fetch: Callable[[str | None], Page], page_token: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every item across pages."""
    for page in iter_pages(fetch, page_token):
        yield from page.items


__all__ = ["Page", "collection", "iter_items", "iter_pages", "page_from"]
