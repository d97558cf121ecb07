"""The plumbing every resource group shares: validation shortcuts, requests, paging.

A group method validates its arguments (``validation``) before anything is sent, then
maps to exactly one Calendly operation of ``operations.OPERATIONS``. Where a uuid is
expected, the full resource URI is accepted as well. ``iter*`` methods validate at call
time and return a lazy iterator over every item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import validation as v
from ..errors import InvalidResponse
from ..pagination import Page, collection, iter_items, page_from

if TYPE_CHECKING:
    from ..client import CalendlyClient

Resource = dict[str, Any]
Items = list[dict[str, Any]]
DateTime = datetime | str
Params = dict[str, Any]

ITER_PAGE_SIZE = 100


class ResourceGroup:
    """Shared plumbing of the resource groups."""

    def __init__(self, client: CalendlyClient) -> None:
        self._client = client

    @property
    def _base(self) -> str:
        return self._client.base_url

    # -- arguments ------------------------------------------------------------------------

    def _uuid(self, value: Any, kind: str, name: str = "uuid", allow_me: bool = False) -> str:
        return v.uuid_or_uri(value, kind, self._base, name=name, allow_me=allow_me)

    def _uri(self, value: Any, kind: str, name: str | None = None) -> str:
        return v.validate_uri(value, kind, self._base, name)

    def _uris(self, values: Any, kind: str, name: str) -> list[str]:
        """A list of resource URIs of ``kind`` (``name[i]`` names a bad item)."""
        if isinstance(values, str) or not isinstance(values, Iterable):
            raise v.InvalidArgument(f"{name} must be a list of {kind} URIs.", name)
        return [self._uri(item, kind, f"{name}[{i}]") for i, item in enumerate(values)]

    def _paging(
        self,
        params: Params,
        *,
        sort: str | None = None,
        sort_endpoint: str | None = None,
        count: int | None = None,
        page_token: str | None = None,
        max_count: int = v.MAX_COUNT,
    ) -> Params:
        if sort is not None:
            if sort_endpoint is None:
                raise v.InvalidArgument("sort is not supported by this list.", "sort")
            params["sort"] = v.validate_sort(sort, sort_endpoint)
        if count is not None:
            params["count"] = v.validate_count(count, max_count)
        if page_token is not None:
            params["page_token"] = v.validate_page_token(page_token)
        return params

    @staticmethod
    def _changes(fields: Mapping[str, Any], what: str) -> Params:
        """The fields given (not ``None``) of an update; at least one is required."""
        body = {name: value for name, value in fields.items() if value is not None}
        if not body:
            raise v.InvalidArgument(
                f"Give at least one field to change ({', '.join(fields)}) of the {what}.",
                next(iter(fields)),
            )
        return body

    # -- requests -------------------------------------------------------------------------

    def _resource(self, body: Any) -> Resource:
        resource = body.get("resource") if isinstance(body, dict) else None
        if not isinstance(resource, dict):
            raise InvalidResponse("The response has no 'resource' object.")
        return resource

    def _object(self, body: Any) -> dict[str, Any]:
        """A body that is an object (202 answers, transcripts): ``resource`` if it has one."""
        if not isinstance(body, dict):
            raise InvalidResponse("The response is not a JSON object.")
        resource = body.get("resource")
        return resource if isinstance(resource, dict) else body

    def _get(self, path: str, params: Params | None = None) -> Resource:
        return self._resource(self._client.request("GET", path, params=params))

    def _post(self, path: str, json: Any, params: Params | None = None) -> Resource:
        return self._resource(self._client.request("POST", path, params=params, json=json))

    def _patch(self, path: str, json: Any, params: Params | None = None) -> Resource:
        return self._resource(self._client.request("PATCH", path, params=params, json=json))

    def _delete(self, path: str) -> None:
        self._client.request("DELETE", path)

    def _page(self, path: str, params: Params) -> Page:
        return page_from(self._client.request("GET", path, params=params))

    def _page_at(self, url: str) -> Page:
        """The page a ``next_page`` URL names (it carries the whole query)."""
        if not isinstance(url, str) or not url.startswith(self._base + "/"):
            raise InvalidResponse("pagination.next_page is not a URL under the client's base_url.")
        return page_from(self._client.request("GET", url))

    def _pages_fetcher(self, path: str, params: Params) -> Callable[[str | None], Page]:
        def fetch(token: str | None) -> Page:
            query = dict(params)
            if token is not None:
                query["page_token"] = token
            return self._page(path, query)

        return fetch

    def _iter(self, path: str, params: Params) -> Iterator[Resource]:
        params.setdefault("count", ITER_PAGE_SIZE)
        first_token = params.pop("page_token", None)
        return iter_items(self._pages_fetcher(path, params), first_token, self._page_at)

    def _collection(self, path: str, params: Params) -> Items:
        return collection(self._client.request("GET", path, params=params))


__all__ = ["ITER_PAGE_SIZE", "DateTime", "Items", "Params", "Resource", "ResourceGroup"]
