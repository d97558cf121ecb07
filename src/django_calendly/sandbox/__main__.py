"""``python -m django_calendly.sandbox``: run the sandbox from a shell until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from .core import Sandbox


def _rate_limit(value: str) -> int | str:
    if value == "off":
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number or 'off'") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m django_calendly.sandbox",
        description="A fake Calendly API v2 (and OAuth) on a local port, for demos and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--seed", type=int, default=200, help="scheduled events to seed")
    parser.add_argument("--random-seed", type=int, default=0)
    parser.add_argument("--token", default=None, help="personal access token (random if unset)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument(
        "--rate-limit", type=_rate_limit, default=None,
        help="requests per user per window (default: Calendly's, 500 paid / 50 free); "
             "'off' switches every limit off, for benchmarks only",
    )
    parser.add_argument("--rate-window", type=float, default=60.0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--plan", default="enterprise",
                        choices=["enterprise", "teams", "standard", "free"])
    parser.add_argument("--client-id", default=None, help="OAuth client id (random if unset)")
    parser.add_argument("--client-secret", default=None)
    parser.add_argument("--signing-key", default=None, help="default webhook signing key")
    parser.add_argument(
        "--clock-rate", type=float, default=1.0,
        help="sandbox seconds per real second (60: webhook retries, token expiry and rate "
             "windows run 60 times faster)",
    )
    args = parser.parse_args(argv)

    sandbox = Sandbox(
        token=args.token, seed_events=args.seed, random_seed=args.random_seed,
        plan=args.plan, latency=args.latency, rate_limit=args.rate_limit,
        rate_window=args.rate_window, error_rate=args.error_rate,
        oauth_client_id=args.client_id, oauth_client_secret=args.client_secret,
        default_signing_key=args.signing_key, clock_rate=args.clock_rate,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # before printing: tests wait on it
    sandbox.start(args.host, args.port)
    info = sandbox.info()
    print("Calendly sandbox running (Ctrl-C to stop)")
    for label, key in [
        ("URL", "url"), ("Token", "token"), ("Organization", "organization"),
        ("User", "user"), ("OAuth client id", "oauth_client_id"),
        ("OAuth client secret", "oauth_client_secret"),
        ("Webhook signing key", "default_signing_key"),
    ]:
        print(f"  {label + ':':<21}{info[key]}")
    print(f"  Seeded {args.seed} events in {sandbox.seed_seconds:.2f} s", flush=True)

    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    print("Calendly sandbox stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
