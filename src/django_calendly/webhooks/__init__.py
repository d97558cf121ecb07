"""The webhook receiver: ``POST /modules/calendly/webhook/`` (verify, log, enqueue)."""
