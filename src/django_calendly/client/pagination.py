"""One page of a Calendly list, and the iterator that walks the pages.

Calendly lists answer ``{"collection": [...], "pagination": {"next_page_token": ...,
"next_page": ...}}``. To get the next page either the same query is sent again with
``page_token`` or the ``next_page`` URL is followed (REFERENCE.md section 4): the token
when there is one, the URL when a response carries only that. Callers of ``iter_*`` never
see a cursor.
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
    #: The full URLs of the neighbouring pages (``None`` at the ends or when not sent).
    next_page: str | None = None
    previous_page: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_page_token is not None or self.next_page is not None


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
        next_page=_token(pagination, "next_page"),
        previous_page=_token(pagination, "previous_page"),
    )


def iter_pages(
    fetch: Callable[[str | None], Page],
    page_token: str | None = None,
    fetch_url: Callable[[str], Page] | None = None,
) -> Iterator[Page]:
    """Every page, starting at ``page_token``, until there is no next page.

    The next page is fetched by its ``next_page_token`` (``fetch``); a page that has no
    token but a ``next_page`` URL is followed by that URL (``fetch_url``). A token or URL
    seen twice means the listing would never end, so it raises ``InvalidResponse``.
    """
    seen: set[str] = set()

    def unseen(cursor: str) -> str:
        if cursor in seen:
            # The cursor itself is not in the message: page tokens are credentials of a kind.
            raise InvalidResponse("Calendly repeated a page cursor; stopping the listing.")
        seen.add(cursor)
        return cursor

    page = fetch(page_token)
    while True:
        yield page
        if page.next_page_token is not None:
            page = fetch(unseen(page.next_page_token))
        elif page.next_page is not None and fetch_url is not None:
            page = fetch_url(unseen(page.next_page))
        else:
            return


def iter_items(
    fetch: Callable[[str | None], Page],
    page_token: str | None = None,
    fetch_url: Callable[[str], Page] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every item across pages."""
    for page in iter_pages(fetch, page_token, fetch_url):
        yield from page.items


__all__ = ["Page", "collection", "iter_items", "iter_pages", "page_from"]
