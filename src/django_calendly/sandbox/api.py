"""Compatibility names: the handlers now live in :mod:`.routes`, one module per family."""

from __future__ import annotations

from .routes import HANDLERS, ROUTER, Call, Handler, Result, Router
from .routes.no_shows import mark_no_show, unmark_no_show

__all__ = ["HANDLERS", "ROUTER", "Call", "Handler", "Result", "Router", "mark_no_show",
           "unmark_no_show"]
