"""A stateful fake of Calendly API v2 over real HTTP on loopback (pure Python, no Django).

``Sandbox(token=..., seed_events=50).start()`` serves the API, OAuth and webhook deliveries
for tests, benchmarks and the demo. See docs/sandbox.md.
"""

from .core import Sandbox
from .delivery import Delivery
from .errors import ApiError
from .process import SandboxProcess, free_port

__all__ = ["ApiError", "Delivery", "Sandbox", "SandboxProcess", "free_port"]
