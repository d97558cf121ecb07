"""The hook through which a caller paces every request of a client to a shared budget.

Calendly's rate limit is per Calendly user, and one user's calls may come from many
processes and machines. The client does not know about them; whoever builds it may pass a
``Limiter`` whose ``acquire()`` blocks until one more request fits the user's budget (the
Django side passes one shared through Redis or the database). It is called before every
attempt, retries included, so retried calls count too.
"""

from __future__ import annotations

from typing import Protocol


class Limiter(Protocol):
    def acquire(self) -> None:
        """Block until one more request may be sent."""
