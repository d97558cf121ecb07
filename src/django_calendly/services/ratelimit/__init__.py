"""One rate limiter per Calendly user, shared by every process and machine of the project."""

from .limiter import SharedRateLimiter, forget_storages, limiter_for, storage

__all__ = ["SharedRateLimiter", "forget_storages", "limiter_for", "storage"]
