"""The pattern of the app's catch-all route: a JSON 404 under its prefix, never a host's URL.

Mounted under a prefix of its own (``path("modules/calendly/", include("django_calendly.urls"))``)
the catch-all answers every unknown path under that prefix. Mounted at ``""``, matching
everything would swallow the host's routes listed after the include, so there it matches only
paths whose first segment is one of the app's own (``user``, ``event-types``, ``local``, ...).
Which case applies is read from the project's URLconf (once per URLconf): the app's mounts are
the includes whose patterns hold this very pattern object.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf
from django.urls.resolvers import RegexPattern

_LITERAL = re.compile(r"[\w.~-]+")


def first_segment(route: str) -> str | None:
    """The literal first path segment of a route or regex (``None`` when it is not literal)."""
    text = route.lstrip("^")
    match = _LITERAL.match(text)
    if match is None:
        return None
    rest = text[match.end():]
    if rest and not rest.startswith("/") and rest[0] not in "?$":
        return None  # the segment goes on with a converter or a regex: not literal
    return match.group()


def own_segments(patterns: Iterable[Any], prefix: str = "") -> frozenset[str]:
    """The first segments of every route of ``patterns`` (resolvers walked)."""
    out: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            out |= own_segments(pattern.url_patterns, route)
        elif (segment := first_segment(route)) is not None:
            out.add(segment)
    return frozenset(out)


def _leaves(patterns: Iterable[Any], prefix: str = "") -> Iterable[tuple[str, URLPattern]]:
    """Every endpoint of ``patterns`` with its full route, in resolution order."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _leaves(pattern.url_patterns, route)
        else:
            yield route, pattern


def _is_empty(route: str) -> bool:
    return route.replace("^", "") == ""


class CatchAllPattern(RegexPattern):
    """Any path; when the app is mounted at the root, only paths under the app's segments."""

    def __init__(self, segments: frozenset[str]) -> None:
        super().__init__(r"^(?P<path>.*)$", is_endpoint=True)
        self.segments = segments
        self._at_root: weakref.WeakKeyDictionary[URLResolver, bool] = (
            weakref.WeakKeyDictionary()
        )

    def mounts(self, patterns: Iterable[Any], prefix: str = "") -> list[str]:
        """The prefixes (as route text) at which ``patterns`` include this pattern."""
        out: list[str] = []
        for pattern in patterns:
            if not isinstance(pattern, URLResolver):
                continue
            route = prefix + str(pattern.pattern)
            inner = pattern.url_patterns
            if any(isinstance(p, URLPattern) and p.pattern is self for p in inner):
                out.append(route)
            else:
                out.extend(self.mounts(inner, route))
        return out

    def mounted_at_root(self) -> bool:
        root = get_resolver(get_urlconf())
        known = self._at_root.get(root)
        if known is None:
            known = any(_is_empty(route) for route in self.mounts(root.url_patterns))
            self._at_root[root] = known
        return known

    def shadowed(self, patterns: Iterable[Any]) -> list[str]:
        """Routes of ``patterns`` (a URLconf) that come after a root mount of the app and start
        with one of its segments: the catch-all answers them with a 404 first."""
        out: list[str] = []
        after_root_mount = False
        for route, pattern in _leaves(patterns):
            if pattern.pattern is self:
                after_root_mount = after_root_mount or _is_empty(route.removesuffix(str(self)))
            elif after_root_mount and first_segment(route) in self.segments:
                out.append(route)
        return out

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        if path.split("/", 1)[0] not in self.segments and self.mounted_at_root():
            return None  # a host's URL: leave it to the routes after the include
        return super().match(path)
