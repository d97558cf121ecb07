"""One rate limiter per Calendly user, shared by every process and machine of the project."""

from .limiter import SharedRateLimiter, limiter_for, storage

__all__ = ["SharedRateLimiter", "limiter_for", "storage"]
