"""Helpers for testing projects that use django-calendly: the sandbox fixture and signed
webhook deliveries."""
