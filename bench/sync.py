"""Benchmark of the pull sync against the sandbox (figures in docs/benchmarks.md).

    .venv/bin/python bench/sync.py            # 10,000 events, 20 ms latency, ~3 minutes
    .venv/bin/python bench/sync.py --quick    # 2,000 events, a 10 s rate window

The sandbox runs in its own process (``python -m django_calendly.sandbox``) so its HTTP
work does not share this process's GIL; this process is the "sync process" whose peak
memory is reported. The database is a temporary SQLite file (or ``DATABASE_URL``).

1. Full sync: API calls against the minimum (list pages + one invitee call per event +
   event-type pages); wall time against calls x latency / concurrency.
2. Sync again, nothing changed: invitee calls and rows written (both should be 0).
3. Rate limit 500 per minute: failed calls (429s) and the achieved call rate.
4. Peak memory (ru_maxrss) of this process.
5. Median latency of the local list endpoint against the proxied list endpoint.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from django_calendly.sandbox import SandboxProcess

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-sync-token"


class Control:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)

    def post(self, name: str, **data: Any) -> Any:
        return self.http.post(f"/_sandbox/{name}", json=data).raise_for_status().json()

    def stats(self) -> dict[str, Any]:
        return self.http.get("/_sandbox/stats").raise_for_status().json()


def calls_by_kind(stats: dict[str, Any]) -> dict[str, int]:
    out = {"list": 0, "invitees": 0, "event_types": 0, "other": 0}
    for op, n in stats["requests"].items():
        if op.startswith("GET /scheduled_events/") and op.endswith("/invitees"):
            out["invitees"] += n
        elif op == "GET /scheduled_events":
            out["list"] += n
        elif op == "GET /event_types":
            out["event_types"] += n
        else:
            out["other"] += n
    return out


def setup_django(sandbox_url: str, organization: str, tmp: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "example"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "demo.settings"
    os.environ["DEMO_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
    os.environ["CALENDLY_BASE_URL"] = sandbox_url
    os.environ["CALENDLY_ACCESS_TOKEN"] = TOKEN
    os.environ["CALENDLY_ORGANIZATION"] = organization
    import django
    from django.conf import settings

    # Tables straight from the models: the bench does not depend on migrations being current.
    settings.MIGRATION_MODULES = {"calendly": None}
    settings.LOGGING = {"version": 1, "disable_existing_loggers": False}
    settings.DEBUG = False
    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


def record_call_times() -> list[float]:
    """Timestamps of every paced call (patches the pacer for this process)."""
    from django_calendly.sync.pacing import RateLimitPacer

    times: list[float] = []
    original = RateLimitPacer.acquire

    def acquire(self: RateLimitPacer) -> None:
        original(self)
        times.append(time.monotonic())

    RateLimitPacer.acquire = acquire  # type: ignore[method-assign]
    return times


def median_ms(fn: Any, n: int) -> float:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="2,000 events, 10 s rate window")
    parser.add_argument("--rate-calls", type=int, default=1000,
                        help="about how many calls the rate-limit phase makes")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.quick:
        args.events = min(args.events, 2000)
        rate_limit, rate_window = 84, 10.0  # 504 per minute, in 10 s windows
        args.rate_calls = min(args.rate_calls, 250)
    else:
        rate_limit, rate_window = 500, 60.0

    figures: dict[str, Any] = {
        "events": args.events, "latency_s": args.latency, "concurrency": args.concurrency,
    }
    started = time.monotonic()
    with SandboxProcess(
        token=TOKEN, seed=args.events, latency=args.latency, random_seed=1,
        rate_limit="off",  # phases 1-2 measure the sync unthrottled; phase 3 sets its own
    ) as sandbox:
        info = sandbox.info()
        print(f"sandbox seeded with {args.events} events in {time.monotonic() - started:.1f}s")
        with tempfile.TemporaryDirectory() as tmp:
            setup_django(sandbox.url, info["organization"], tmp)
            run(args, figures, info, Control(sandbox.url), rate_limit, rate_window)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


def run(
    args: argparse.Namespace,
    figures: dict[str, Any],
    info: dict[str, Any],
    control: Control,
    rate_limit: int,
    rate_window: float,
) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from django_calendly.models import EventType, Invitee, ScheduledEvent
    from django_calendly.services.sync import sync_scheduled_events

    now = timezone.now()
    since, until = now - timedelta(days=40), now + timedelta(days=400)
    times = record_call_times()

    # 1. Full sync.
    control.post("reset_stats")
    t = time.monotonic()
    stats = sync_scheduled_events(since=since, until=until, concurrency=args.concurrency)
    wall = time.monotonic() - t
    calls = calls_by_kind(control.stats())
    event_types = EventType.objects.count()
    minimum = math.ceil(stats.events / 100) + stats.events + max(1, math.ceil(event_types / 100))
    made = sum(calls.values())
    bound = made * args.latency / args.concurrency
    figures["full_sync"] = {
        "events": stats.events, "invitees": stats.invitees,
        "mirror_rows": {"events": ScheduledEvent.objects.count(),
                        "invitees": Invitee.objects.count(), "event_types": event_types},
        "api_calls": made, "calls_by_kind": calls, "minimum_calls": minimum,
        "wall_s": round(wall, 2), "bound_s": round(bound, 2),
        "ratio_to_bound": round(wall / bound, 3),
    }
    print("1.", figures["full_sync"])

    # 1b. The transport floor: the same number of bare invitee calls on a bare thread pool
    # (no sync logic, no database), to tell the sandbox/HTTP overhead per call from ours.
    from concurrent.futures import ThreadPoolExecutor

    from django_calendly.services.clients import get_client

    client = get_client(background=True)
    uuids = list(
        ScheduledEvent.objects.order_by("start_time").values_list("uuid", flat=True)[:2000]
    )
    t = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(lambda u: client.invitees.list(u, count=100), uuids))
    floor = time.monotonic() - t
    floor_bound = len(uuids) * args.latency / args.concurrency
    figures["full_sync"]["transport_floor_ratio"] = round(floor / floor_bound, 3)
    figures["full_sync"]["ratio_to_floor"] = round(
        figures["full_sync"]["ratio_to_bound"] / (floor / floor_bound), 3
    )
    print("1b. bare invitee calls on a pool:", round(floor / floor_bound, 3), "x the bound")

    # 2. Nothing changed.
    control.post("reset_stats")
    t = time.monotonic()
    again = sync_scheduled_events(since=since, until=until, concurrency=args.concurrency)
    calls = calls_by_kind(control.stats())
    figures["second_sync"] = {
        "invitee_calls": calls["invitees"], "rows_written": again.rows_written,
        "api_calls": sum(calls.values()), "wall_s": round(time.monotonic() - t, 2),
    }
    print("2.", figures["second_sync"])
    rss_after_sync = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # 3. Rate limit: a full sync of a window holding ~rate_calls events, paced.
    starts = list(
        ScheduledEvent.objects.order_by("start_time").values_list("start_time", flat=True)[
            : args.rate_calls
        ]
    )
    window = (starts[0], starts[-1])
    control.post("configure", rate_limit=rate_limit, rate_window=rate_window)
    control.post("reset_stats")
    times.clear()
    t = time.monotonic()
    limited = sync_scheduled_events(
        since=window[0], until=window[1], full=True, concurrency=args.concurrency
    )
    wall = time.monotonic() - t
    sandbox_stats = control.stats()
    control.post("configure", rate_limit="off")
    first = times[0]
    full_windows = int((times[-1] - first) // rate_window)
    in_full = sum(1 for x in times if x - first < full_windows * rate_window)
    per_minute_full = in_full / (full_windows * rate_window) * 60 if full_windows else None
    figures["rate_limited_sync"] = {
        "limit": f"{rate_limit} per {rate_window:g}s",
        "limit_per_minute": round(rate_limit * 60 / rate_window),
        "api_calls": sum(sandbox_stats["requests"].values()),
        "failed_calls_429": sandbox_stats["rate_limited"],
        "pacer_waits": limited.rate_limit_waits,
        "wall_s": round(wall, 1),
        "full_windows": full_windows,
        "calls_in_full_windows": in_full,
        "achieved_per_minute_over_full_windows": round(per_minute_full, 1)
        if per_minute_full else None,
        "achieved_ratio": round(per_minute_full / (rate_limit * 60 / rate_window), 3)
        if per_minute_full else None,
        "overall_calls_per_minute": round(len(times) / (times[-1] - first) * 60, 1),
    }
    print("3.", figures["rate_limited_sync"])

    # 4. Memory.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["peak_rss_mb"] = round(rss / 1024, 1)
    figures["peak_rss_mb_after_sync_phases_1_2"] = round(rss_after_sync / 1024, 1)
    print("4.", figures["peak_rss_mb"], "MB")

    # 5. Local vs proxied list endpoint, same process, Django test client (no HTTP server).
    user = get_user_model().objects.create_user("bench", password="x")
    web = Client()
    web.force_login(user)
    local_url = "/modules/calendly/local/scheduled-events/?page_size=20"
    proxied_url = (
        f"/modules/calendly/scheduled/events/list/?organization={info['organization']}&count=20"
    )

    def local() -> None:
        assert web.get(local_url).status_code == 200

    def proxied() -> None:
        response = web.get(proxied_url)
        assert response.status_code == 200, response.content[:300]

    local(), proxied()
    n = 200
    figures["list_latency_ms"] = {
        "local_median": round(median_ms(local, n), 2),
        f"proxied_median_sandbox_latency_{args.latency:g}s": round(median_ms(proxied, 50), 2),
    }
    control.post("configure", latency=0.0)
    figures["list_latency_ms"]["proxied_median_sandbox_latency_0s"] = round(
        median_ms(proxied, n), 2
    )
    print("5.", figures["list_latency_ms"])


if __name__ == "__main__":
    raise SystemExit(main())
