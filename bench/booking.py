"""What our endpoints add to one booking: slots to confirmation through the REST API versus
the same Calendly calls made directly with ``CalendlyClient``, against the same sandbox, in
the same run.

One run: a sandbox in a subprocess (``--plan enterprise``: the Scheduling API allows 500
bookings a minute per user; the general limit is off); the demo project migrated into a
temporary SQLite file with one staff user; gunicorn (2 ``gthread`` workers x 4 threads by
default) serving it against the sandbox. Then, interleaved, ``--calls`` times:

- through our endpoints (HTTP Basic, a fast hasher as in ``proxy_overhead.py``, both
  served by ``_common.gunicorn_pair``):
  ``GET event/type/available-times/`` (7 days), then ``POST invitees/`` of the first slot
  with an ``Idempotency-Key`` (our endpoint books, reads the meeting back and writes both
  to the mirror: three Calendly calls and the SQLite writes);
- directly: ``client.availability.event_type_available_times``, ``client.invitees.create``
  and ``client.scheduled_events.get`` (the same three Calendly calls, nothing stored).

Each booking is canceled through the sandbox's control endpoint afterwards (not timed), so
the same slot is free again and both series book the same first slot. The app's shared
rate limiter stays on (its database writes are part of the cost) with a ceiling the run
never reaches. Every 200 bookings the
sandbox clock is advanced 61 s (not timed), so the Enterprise limit of 500 a minute never
bites, whatever ``--calls``. The same run also times a hello-world gunicorn with the same
worker settings: the machine's baseline round trip, to compare runs across machines.

    .venv/bin/python bench/booking.py [--calls 200] [--workers 2] [--threads 4]

``BENCH_PROGRESS=1`` prints each booking's count to stderr (to see where a run stalls).

Prints the median and p99 of both series, the time our endpoints add per booking (median and
p99 of the per-booking difference) and the ratio proxied / direct.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from _common import (
    FAST_HASHER_SETTINGS,
    demo_env,
    gunicorn_pair,
    migrate_with_user,
    percentile,
)

TOKEN = "bench-booking-token"
USER, PASSWORD = "bench", "bench-password"
ADVANCE_EVERY = 200  # bookings between two clock advances (Enterprise: 500 a minute)


def measure(
    args: argparse.Namespace, sandbox_url: str, web_url: str, hello_url: str,
    control: httpx.Client, direct_ms: list[float], proxied_ms: list[float],
    hello_ms: list[float], slots_ms: dict[str, list[float]],
) -> dict[str, Any]:
    """The interleaved series (appended to the lists given); the sandbox's stats after."""
    from django_calendly.client import CalendlyClient

    auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    invitee = {"name": "Bench Booker", "email": "bench@example.com", "timezone": "UTC"}
    booked = 0

    advanced = 0.0  # seconds the sandbox clock is ahead of ours

    def window() -> tuple[str, str]:
        start = datetime.now(UTC) + timedelta(minutes=5, seconds=advanced)
        return start.isoformat(), (start + timedelta(days=7)).isoformat()

    def after_booking(event_uri: str) -> None:
        nonlocal booked, advanced
        control.post("/_sandbox/cancel", json={"event": event_uri}).raise_for_status()
        booked += 1
        if os.environ.get("BENCH_PROGRESS"):
            print(f"booked {booked} at {time.strftime('%X')}", file=sys.stderr)
        if booked % ADVANCE_EVERY == 0:
            control.post("/_sandbox/advance_clock", json={"seconds": 61}).raise_for_status()
            advanced += 61

    with (
        CalendlyClient(token=TOKEN, base_url=sandbox_url, max_retries=0) as direct,
        httpx.Client(base_url=web_url, timeout=30, headers={"Authorization": auth}) as web,
        httpx.Client(base_url=hello_url, timeout=30) as bare,
    ):
        me = direct.users.me()
        event_type = next(
            et["uri"] for et in direct.event_types.list(user=me["uri"], active=True).items
            if direct.event_types.get_availability_schedules(et["uri"])
        )

        def through_endpoints() -> str:
            start, end = window()
            began = time.perf_counter()
            times = web.get("/modules/calendly/event/type/available-times/", params={
                "event_type": event_type, "start_time": start, "end_time": end,
            })
            if times.status_code != 200 or not times.json()["collection"]:
                raise SystemExit(f"no slots: {times.status_code} {times.text[:300]}")
            slot = times.json()["collection"][0]["start_time"]
            slots_ms["proxied"].append((time.perf_counter() - began) * 1000)
            answer = web.post(
                "/modules/calendly/invitees/",
                json={"event_type": event_type, "start_time": slot, "invitee": invitee},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
            if answer.status_code != 201 or answer.json()["scheduled_event"] is None:
                raise SystemExit(f"booking failed: {answer.status_code} {answer.text[:300]}")
            return str(answer.json()["scheduled_event"]["uri"])

        def directly() -> str:
            start, end = window()
            began = time.perf_counter()
            slots = direct.availability.event_type_available_times(event_type, start, end)
            slots_ms["direct"].append((time.perf_counter() - began) * 1000)
            made = direct.invitees.create(
                event_type=event_type, start_time=slots[0]["start_time"], invitee=invitee
            )
            event = direct.scheduled_events.get(made["event"].rsplit("/", 1)[-1])
            return str(event["uri"])

        for _ in range(10):  # warm up: connections, imports, the first SQLite pages
            after_booking(through_endpoints())
            after_booking(directly())
            bare.get("/").raise_for_status()
        # Interleaved, so that the load of the machine weighs on both series alike.
        for _ in range(args.calls):
            began = time.perf_counter()
            uri = directly()
            direct_ms.append((time.perf_counter() - began) * 1000)
            after_booking(uri)
            began = time.perf_counter()
            uri = through_endpoints()
            proxied_ms.append((time.perf_counter() - began) * 1000)
            after_booking(uri)
        for _ in range(args.calls):
            began = time.perf_counter()
            bare.get("/").raise_for_status()
            hello_ms.append((time.perf_counter() - began) * 1000)
    return dict(control.get("/_sandbox/stats").json())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="bookings per series")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    args = parser.parse_args()

    from django_calendly.sandbox import SandboxProcess

    tmp = Path(tempfile.mkdtemp(prefix="calendly-bench-booking-"))
    (tmp / "bench_settings.py").write_text(FAST_HASHER_SETTINGS)
    env = demo_env(tmp, "bench_settings", TOKEN)
    # The app's shared per-user limiter (database) stays on, so its cost is measured,
    # with a ceiling the run never reaches: at 500 a minute (Calendly's) it would pace
    # the run, holding requests until the minute passes.
    env["CALENDLY_RATE_LIMIT_PER_MINUTE"] = "1000000"
    sandbox: SandboxProcess | None = None
    direct_ms: list[float] = []
    proxied_ms: list[float] = []
    hello_ms: list[float] = []
    # The slots step alone, of each series: what the booking step costs is the rest.
    slots_ms: dict[str, list[float]] = {"direct": [], "proxied": []}
    try:
        sandbox = SandboxProcess(token=TOKEN, seed=20, rate_limit="off", plan="enterprise")
        sandbox_url = env["CALENDLY_BASE_URL"] = sandbox.url
        env["CALENDLY_ORGANIZATION"] = sandbox.info()["organization"]
        control = httpx.Client(base_url=sandbox_url, timeout=10)
        migrate_with_user(env, USER, PASSWORD)
        worker_args = [
            "-w", str(args.workers), "--worker-class", "gthread",
            "--threads", str(args.threads), "--log-level", "warning",
        ]
        with gunicorn_pair(env, tmp, worker_args) as served:
            stats = measure(args, sandbox_url, served.web_url, served.hello_url, control,
                            direct_ms, proxied_ms, hello_ms, slots_ms)
        control.close()
    finally:
        if sandbox is not None:
            sandbox.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    added = [p - d for p, d in zip(proxied_ms, direct_ms, strict=True)]
    direct_median, proxied_median = statistics.median(direct_ms), statistics.median(proxied_ms)
    hello_median = statistics.median(hello_ms)
    bookings = stats["requests"].get("POST /invitees", 0)
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    print(f"bookings: {args.calls} per series ({bookings} in all, with warm-up); sandbox plan "
          f"enterprise (500 bookings/min), clock advanced 61 s every {ADVANCE_EVERY} bookings; "
          f"gunicorn: {args.workers} gthread x {args.threads} threads")
    print(f"direct CalendlyClient (3 calls)  median {direct_median:7.2f} ms   "
          f"p99 {percentile(direct_ms, 0.99):7.2f} ms")
    print(f"through our endpoints (2 requests) median {proxied_median:7.2f} ms   "
          f"p99 {percentile(proxied_ms, 0.99):7.2f} ms")
    print(f"hello-world gunicorn              median {hello_median:7.2f} ms   (baseline)")
    print(f"added per booking                 median {statistics.median(added):7.2f} ms   "
          f"p99 {percentile(added, 0.99):7.2f} ms   "
          f"= {statistics.median(added) / hello_median:.1f} x the baseline")
    print(f"ratio through / direct (medians)  {proxied_median / direct_median:.2f} x")
    warm = 10  # the warm-up's slots steps are recorded too: leave them out
    slots_direct = statistics.median(slots_ms["direct"][warm:])
    slots_proxied = statistics.median(slots_ms["proxied"][warm:])
    print(f"  of which the slots step: direct {slots_direct:.2f} ms, through "
          f"{slots_proxied:.2f} ms (+{slots_proxied - slots_direct:.2f}); the booking step: "
          f"+{statistics.median(added) - (slots_proxied - slots_direct):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
