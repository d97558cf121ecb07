"""One TLS context per process, shared by every client.

httpx builds a new ``ssl.SSLContext`` for each ``httpx.Client`` unless given one, and loading
the CA bundle into it costs ~50 ms of CPU. The app makes one client per Calendly token
(``services.clients``): a process serving many connections, or an RQ work horse (a fresh
fork per job) syncing one, would pay that for every token. A context is safe to share
between clients and threads; it is built the way httpx builds its default one (honouring
``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when ``trust_env``), once per such setting.
"""

from __future__ import annotations

import os
import ssl
import threading

import httpx

_lock = threading.Lock()
_contexts: dict[tuple[bool, str, str], ssl.SSLContext] = {}


def default_ssl_context(trust_env: bool = True) -> ssl.SSLContext:
    """The shared verifying context (what ``httpx.Client(verify=True)`` would build)."""
    key = (
        trust_env,
        os.environ.get("SSL_CERT_FILE", "") if trust_env else "",
        os.environ.get("SSL_CERT_DIR", "") if trust_env else "",
    )
    with _lock:
        context = _contexts.get(key)
        if context is None:
            context = _contexts[key] = httpx.create_ssl_context(trust_env=trust_env)
        return context
