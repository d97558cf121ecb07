"""A signed-in user's browser over real HTTP, against the live server: the session comes
from the demo's login form, and POSTs carry the CSRF token the page gives (as
``static/demo/account.js`` sends it), so nothing is skipped that a real browser goes
through. Its answers are httpx responses; ``Member`` reads only what they share with the
test client's (``status_code``, ``headers``, ``content``, ``json()``)."""

from __future__ import annotations

import re
from typing import Any

import httpx

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class LiveBrowser:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0, trust_env=False)

    @classmethod
    def signed_in(cls, base_url: str, username: str, password: str) -> LiveBrowser:
        browser = cls(base_url)
        form = browser.http.get("/login/")
        token = CSRF_FIELD.search(form.text)
        assert form.status_code == 200 and token, form.text
        answer = browser.http.post(
            "/login/",
            data={"csrfmiddlewaretoken": token[1], "username": username, "password": password},
        )
        assert (answer.status_code, answer.headers.get("location")) == (302, "/account/")
        return browser

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.get(path, params=params)

    def post_from(self, page: str, path: str) -> httpx.Response:
        """POST ``path`` as a script on ``page`` does: the CSRF token from the page's meta."""
        html = self.http.get(page).text
        token = CSRF_META.search(html)
        assert token, html
        return self.http.post(
            path, headers={"X-CSRFToken": token[1], "Accept": "application/json"}
        )

    def close(self) -> None:
        self.http.close()
