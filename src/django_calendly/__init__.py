"""Calendly API v2 for Django: client, REST endpoints, webhooks, a synced mirror, a sandbox."""

__version__ = "0.1.0"
