"""URLs of the app.

Mount them with ``path("modules/calendly/", include("django_calendly.urls"))``.

Every view is wrapped in ``api.failures.guard`` (any exception it lets out is answered in the
app's error shape, never Django's HTML 500 page), and the last route is a catch-all: an
unknown path under the prefix is a JSON 404 in the same shape. Mounted at ``""``, the
catch-all answers only paths under the app's own first segments (``api.catch_all``), so the
host's routes after the include still resolve; a host route sharing such a segment
(``docs/``, ``user/``...) must come before the include (system check ``calendly.W004``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from .api.catch_all import CatchAllPattern, own_segments
from .api.failures import guard, not_found

app_name = "calendly"


def _guarded(patterns: list[Any]) -> list[Any]:
    """Copies of ``patterns`` whose views are guarded (the modules' own lists untouched)."""
    out: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            out.append(
                URLPattern(pattern.pattern, guard(pattern.callback), pattern.default_args,
                           pattern.name)
            )
        elif isinstance(pattern, URLResolver):
            out.append(
                URLResolver(pattern.pattern, _guarded(pattern.url_patterns),
                            pattern.default_kwargs, pattern.app_name, pattern.namespace)
            )
        else:
            out.append(pattern)
    return out


def _routes(module: str) -> Any:
    return include(_guarded(import_module(module).urlpatterns))


urlpatterns: list[Any] = [
    # Each layer owns its routes: the REST endpoints with the schema, the webhook receiver,
    # the local read API over the mirror, and Connect Calendly.
    path("", _routes("django_calendly.api.urls")),
    path("", _routes("django_calendly.webhooks.urls")),
    path("local/", _routes("django_calendly.local.urls")),
    path("", _routes("django_calendly.oauth.urls")),
]
# Last: a JSON 404 for any other path under the prefix (under the app's own segments only
# when mounted at the root).
urlpatterns.append(URLPattern(CatchAllPattern(own_segments(urlpatterns)), not_found))
