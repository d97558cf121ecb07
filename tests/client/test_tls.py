"""One verifying TLS context per process, shared by every client (client/tls.py)."""

from __future__ import annotations

import ssl

import httpx
import pytest

from django_calendly.client import CalendlyClient, tls
from django_calendly.client.oauth import OAuthClient


def _context(client: httpx.Client) -> ssl.SSLContext:
    pool = client._transport._pool  # type: ignore[attr-defined]
    return pool._ssl_context


def test_clients_of_many_tokens_share_one_verifying_context() -> None:
    clients = [CalendlyClient(token=f"token-{n}") for n in range(3)]
    oauth = OAuthClient("client-id", "secret")
    try:
        contexts = {id(_context(c._http)) for c in clients} | {id(_context(oauth._http))}
        assert len(contexts) == 1
        context = _context(clients[0]._http)
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert context.get_ca_certs() or context.cert_store_stats()["x509_ca"] > 0
    finally:
        for c in clients:
            c.close()
        oauth.close()


def test_the_context_follows_ssl_cert_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    with_file = tls.default_ssl_context()
    assert tls.default_ssl_context() is with_file
    monkeypatch.delenv("SSL_CERT_FILE")
    assert tls.default_ssl_context() is not with_file  # another setting, another context
    assert tls.default_ssl_context(trust_env=False) is not tls.default_ssl_context()


def test_a_given_transport_is_used_as_is() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"resource": {}}))
    with CalendlyClient(token="t", transport=transport) as client:
        assert client._http._transport is transport
        assert client.users.me() == {}
