"""The HTTP side: a threading HTTP/1.1 server with keep-alive, faults, rate limits, stats.

Request flow for API paths: count -> latency -> bearer token -> rate-limit count (per
user; X-RateLimit-* headers on every answer from here on) -> injected fault (drop, 5xx,
malformed) -> 401 / 429 -> admission (:func:`admit`: the token's scopes and the plan, both
read from the operation table) -> handler under the store lock -> deliveries (outside the
lock) -> response. OAuth paths: count -> latency -> rate-limit count (8 token requests
per user per minute on ``/oauth/token``; headers from here on) -> fault -> 429 ->
endpoint. ``/_sandbox/...`` control paths skip
faults, auth, limits and stats.

Every route the router knows must have its row in ``client/operations.py``:
:func:`check_routes` runs when a sandbox starts and refuses to start otherwise, so a new
route can never skip the scope and plan checks.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import socket
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ..client.operations import BY_ROUTE, WEBHOOK_EVENT_SCOPES, Operation, missing_scopes
from . import paging
from .errors import (
    INTERNAL_ERROR,
    UPGRADE_ENTERPRISE,
    UPGRADE_PAID_BY_FAMILY,
    UPGRADE_STANDARD,
    ApiError,
    InsufficientScope,
    OAuthProblem,
    invalid,
    permission_denied,
)
from .routes import ROUTER
from .routes.common import Call
from .state import TokenInfo

if TYPE_CHECKING:
    from .core import Sandbox

UNAUTHENTICATED = {"title": "Unauthenticated", "message": "The access token is invalid"}
SERVER_ERRORS = {
    500: {"title": "Internal Server Error",
          "message": "The server encountered an unexpected condition that prevented it from "
                     "fulfilling the request."},
    502: {"title": "Bad Gateway", "message": "The server received an invalid response."},
    503: {"title": "Service Unavailable",
          "message": "The server is temporarily unable to handle the request."},
}
RATE_LIMITED = {
    "title": "Too Many Requests",
    "message": "You have exceeded the rate limit. Please wait and try again.",
}
MALFORMED = b'{"collection": [{"uri": "https://api.calendly.com/scheduled_ev'


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


class SandboxHTTPServer(ThreadingHTTPServer):
    """Counts accepted connections and can close them all on stop."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, SandboxHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        self.sandbox._count_connection()
        with self.sockets_lock:
            self.open_sockets.add(conn)
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def close_all(self) -> None:
        with self.sockets_lock:
            sockets = list(self.open_sockets)
            self.open_sockets.clear()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CalendlySandbox/1.0"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection ends by itself
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every small keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def do_PATCH(self) -> None:
        self.dispatch("PATCH")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    # -- plumbing -----------------------------------------------------------------------

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def respond(
        self, status: int, body: bytes | None, headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        if not self.path.startswith("/_sandbox/"):
            self.server.sandbox._count_status(status)
        self.send_response(status)
        if body and status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("X-Request-Id", uuid.uuid4().hex)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)) if body and status != 204 else "0")
        if body and status != 204:
            # One sendall for headers and body instead of two (half the syscalls).
            self._headers_buffer.append(b"\r\n" + body)  # type: ignore[attr-defined]
            self.flush_headers()
        else:
            self.end_headers()

    def dispatch(self, method: str) -> None:
        sb = self.server.sandbox
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw = self.read_body()
        if path.startswith("/_sandbox/"):
            self.control(method, path, params, raw)
            return
        args: list[str] = []
        if path.startswith("/oauth/"):
            route, handler, known = f"{method} {path}", None, True
        else:
            route, handler, args, known = ROUTER.match(method, path)
        sb._count_request(route)
        if sb.config["latency"] > 0:
            time.sleep(sb.config["latency"])
        if path.startswith("/oauth/"):
            self.oauth(method, path, params, raw)
            return
        info = self.authenticate()
        # Calendly counts every request against the caller's budget and reports it on every
        # answer, 401s included (those count against the caller's address).
        key = info.user if info is not None else f"anonymous:{self.client_address[0]}"
        limited, rl_headers = sb._rate_limit(key, sb._api_rate_limit())
        if self.fault(sb._draw_fault(), rl_headers):
            return
        if info is None:
            self.respond(401, dumps(UNAUTHENTICATED), rl_headers)
            return
        if limited:
            self.respond(429, dumps(RATE_LIMITED), rl_headers)
            return
        if handler is None:
            status = 405 if known else 404
            title = "Method Not Allowed" if known else "Resource Not Found"
            message = "The method is not allowed." if known else (
                "The server could not find the requested resource.")
            self.respond(status, dumps({"title": title, "message": message, "details": []}),
                         rl_headers)
            return
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                err = invalid("body", "must be valid JSON").body()
                self.respond(400, dumps(err), rl_headers)
                return
        operation = operation_of(route)
        call = Call(sb.store, method, path, params, args, info.user, body)
        with sb.store.lock, paging.use(sb._page_tokens()):
            try:
                admit(operation, info, sb.store.plan, body)
                status, result = handler(call)
                out = None if result is None else dumps(result)
            except ApiError as exc:
                status, out = exc.status, dumps(exc.body())
                call.outbox.clear()
            except Exception:  # a bug in a handler: answer as Calendly's 500, not a drop
                traceback.print_exc()
                status, out = 500, dumps(INTERNAL_ERROR.body())
                call.outbox.clear()
            deliveries = sb._prepare_outbox(call.outbox)
        sb.deliverer.send(deliveries)
        self.respond(status, out, {**rl_headers, **call.headers})

    def fault(self, fault: str | None, headers: dict[str, str]) -> bool:
        """Answer with an injected fault, if one was drawn; whether it was."""
        if fault == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if fault in ("500", "502", "503"):
            self.respond(int(fault), dumps(SERVER_ERRORS[int(fault)]), headers)
            return True
        if fault == "malformed":
            self.respond(200, MALFORMED, headers)
            return True
        return False

    def authenticate(self) -> TokenInfo | None:
        header = self.headers.get("Authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        sb = self.server.sandbox
        info = sb.store.tokens.get(token.strip())
        if info is None or not info.active:
            return None
        if info.expires_at is not None and info.expires_at <= sb.store.clock.time():
            return None
        return info

    # -- OAuth --------------------------------------------------------------------------

    def oauth(self, method: str, path: str, params: dict[str, str], raw: bytes) -> None:
        sb = self.server.sandbox
        form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        headers: dict[str, str] = {}
        try:
            with sb.store.lock:
                if method == "POST" and path == "/oauth/token":
                    # 8 token requests per user per minute (a request whose user is unknown
                    # counts against its client).
                    basic = self.basic_auth()
                    subject = sb.oauth.token_subject(form)
                    client = basic[0] if basic else form.get("client_id", "")
                    key = f"oauth-token:{subject or 'client:' + client}"
                    limited, headers = sb._rate_limit(key, sb._oauth_token_limit())
                    if self.fault(sb._draw_fault(), headers):
                        return
                    if limited:
                        raise OAuthProblem(429, "rate_limit_exceeded",
                                           "Too many token requests for this user; "
                                           "wait for X-RateLimit-Reset seconds.")
                    result = sb.oauth.token(form, basic)
                else:
                    key = f"oauth:{self.client_address[0]}"
                    limited, headers = sb._rate_limit(key, sb._api_rate_limit())
                    if self.fault(sb._draw_fault(), headers):
                        return
                    if limited:
                        raise OAuthProblem(429, "rate_limit_exceeded",
                                           "Too many requests; wait for X-RateLimit-Reset "
                                           "seconds.")
                    if path == "/oauth/authorize" and method == "GET":
                        page = sb.oauth.authorize_page(params)
                        self.respond(200, page.encode(), headers,
                                     content_type="text/html; charset=utf-8")
                        return
                    if path == "/oauth/authorize" and method == "POST":
                        location = sb.oauth.approve({**params, **form})
                        self.respond(302, b"", {**headers, "Location": location})
                        return
                    if method != "POST" or path not in ("/oauth/revoke", "/oauth/introspect"):
                        raise OAuthProblem(404, "not_found", "Unknown OAuth endpoint.")
                    basic = self.basic_auth()
                    if path == "/oauth/revoke":
                        result = sb.oauth.revoke(form, basic)
                    else:
                        result = sb.oauth.introspect(form, basic)
        except OAuthProblem as exc:
            self.respond(exc.status, dumps(exc.body()), headers)
            return
        self.respond(200, dumps(result), {**headers, "Cache-Control": "no-store"})

    def basic_auth(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip()).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthProblem(401, "invalid_client", "Malformed Basic credentials.") from None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret

    # -- control ------------------------------------------------------------------------

    def control(self, method: str, path: str, params: dict[str, str], raw: bytes) -> None:
        sb = self.server.sandbox
        try:
            data = json.loads(raw) if raw else {}
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")
            result = sb._control(method, path[len("/_sandbox/"):], data)
        except KeyError as exc:
            self.respond(404, dumps({"title": "Resource Not Found", "message": str(exc)}))
            return
        except (ValueError, TypeError, ApiError) as exc:
            self.respond(400, dumps({"title": "Invalid Argument", "message": str(exc)}))
            return
        self.respond(200, dumps(result))


def operation_of(route: str) -> Operation:
    """The operation-table row of a matched route (``"GET /contacts/{uuid}"``)."""
    method, _, pattern = route.partition(" ")
    operation = BY_ROUTE.get((method, pattern))
    if operation is None:
        raise LookupError(
            f"sandbox route {route!r} has no row in client/operations.py: add it there"
        )
    return operation


def router_routes() -> list[str]:
    """Every ``"METHOD /pattern"`` the router serves."""
    return [
        f"{entry[2].method} {entry[2].path}" for bucket in ROUTER.table.values() for entry in bucket
    ]


def check_routes() -> None:
    """Raise unless every route maps to an operation (so none escapes :func:`admit`)."""
    for route in router_routes():
        operation_of(route)


def required_scopes(operation: Operation, body: Any) -> list[str]:
    """The scopes a request needs: the operation's, plus for a webhook subscription the
    read scope of every event family it asks for (REFERENCE.md sections 2 and 6)."""
    needed = [operation.scope]
    if operation.name == "webhooks.create" and isinstance(body, dict):
        events = body.get("events")
        if isinstance(events, list):
            needed += [WEBHOOK_EVENT_SCOPES[e] for e in events
                       if isinstance(e, str) and e in WEBHOOK_EVENT_SCOPES]
    return needed


def admit(operation: Operation, token: TokenInfo, plan: str, body: Any) -> None:
    """Refuse what Calendly refuses before any handler runs: a scope the token lacks
    (403 Insufficient scope), then an operation above the organization's plan."""
    if token.scopes is not None:
        missing = missing_scopes(token.scopes, required_scopes(operation, body))
        if missing:
            raise InsufficientScope(missing)
    if operation.plan == "paid" and plan == "free":
        raise permission_denied(UPGRADE_PAID_BY_FAMILY.get(operation.family, UPGRADE_STANDARD))
    if operation.plan == "enterprise" and plan != "enterprise":
        raise permission_denied(UPGRADE_ENTERPRISE)


def rate_limit_headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": str(max(0, math.ceil(reset))),
    }
