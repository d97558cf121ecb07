"""Many Calendly accounts (issue 11): every connection's full sync fanned out on RQ workers.

    .venv/bin/python bench/many_accounts.py           # 200 users x 100 events; ~1 h in all
    .venv/bin/python bench/many_accounts.py --quick   # 20 users x 20 events; ~3 min

Needs PostgreSQL (``--database-url``, default the ``bench_pg`` database, dropped and made
again) and Redis (``--rq-url`` db 1 for the tasks, ``--limiter-url`` db 2 for the shared
per-user rate limiter; both emptied). One run:

1. A sandbox in its own process (20 ms added latency, 500 requests a minute per user) with
   ``--users`` members of ``--events`` meetings each (``POST /_sandbox/users``). Each is
   connected the way a user connects: a Django user, our connect view, the sandbox's
   ``POST /oauth/authorize`` approving as that member, our callback (code exchange; the
   tokens are stored encrypted).
2. Baseline, same sandbox, same run: bare HTTP clients (1, 2, 4 processes x 4 threads,
   what one sync runs in parallel) calling the invitee endpoint with the members' tokens
   for ``--baseline-seconds``: what the sandbox and the machine allow, with no sync, no
   database and no queue.
3. For 1, 2 and 4 ``rqworker`` processes: an empty mirror, ``calendly_sync --all`` (one
   task per connection), timed until every connection's sync has succeeded. Aggregate
   calls/s; failed calls (any answer but 200); per user, the most calls in any sandbox
   window and in any 60 s span (``GET /_sandbox/rate_windows``); peak memory per worker
   (VmHWM of the worker and, sampled, of its work horses); CPU seconds of the sandbox and
   the workers and the machine's busy cores, to say where scaling stops.
4. One more member holding ``--single-events`` meetings (20,000), the only connection
   synced, on 4 workers: 429s (none expected) and the share of the 500-a-minute limit used
   over the sandbox's full windows (>= 90 % expected).

Prints each figure as it is measured, then the whole as JSON (``--json FILE`` too).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
TOKEN = "bench-many-accounts-token"
THREADS = 4  # CALENDLY_SYNC_CONCURRENCY's default: invitee calls in flight per sync
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


# -- /proc ----------------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """The children of ``pid`` (``/proc/<pid>/task/<tid>/children``: no walk of /proc)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in children.read_text().split()]
        except OSError:
            continue
    return found


def status_kb(pid: int, field: str) -> int:
    """A ``/proc/<pid>/status`` figure in kB (VmHWM, VmRSS); 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU of ``pid`` (and of its children it has waited for)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICKS


def service_cpu_seconds() -> dict[str, float]:
    """CPU seconds so far of the PostgreSQL and Redis server processes (every database's:
    other clients of the same servers count too; a backend still running when the run
    ends counts its whole life)."""
    out = {"postgres": 0.0, "redis-server": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name in out:
            fields = text.rsplit(")", 1)[1].split()
            # With the children it has waited for: PostgreSQL's exited backends (a work
            # horse's connection ends with its job) count in the postmaster's.
            out[name] += sum(int(f) for f in fields[11:15]) / TICKS
    return out


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


class Sampler:
    """Every 0.25 s: the RSS high-water mark of each worker and of its work horses (RQ
    forks one per job; a horse's peak is read while it lives, so it may be missed by up
    to one interval of growth)."""

    def __init__(self, workers: dict[str, int]) -> None:
        self.workers = workers
        self.worker_hwm = dict.fromkeys(workers, 0)
        self.horse_hwm = dict.fromkeys(workers, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.sample()

    def sample(self) -> None:
        for name, pid in self.workers.items():
            self.worker_hwm[name] = max(self.worker_hwm[name], status_kb(pid, "VmHWM"))
            for child in children_of(pid):
                self.horse_hwm[name] = max(self.horse_hwm[name], status_kb(child, "VmHWM"))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sample()


# -- the bare-HTTP baseline (a spawned process: no Django) -----------------------------------


def bare_calls(
    url: str, pairs: list[tuple[str, str]], start_at: float, seconds: float, out: Any
) -> None:
    """THREADS threads calling ``GET /scheduled_events/{uuid}/invitees`` round the
    ``(token, uuid)`` pairs from ``start_at`` for ``seconds``; puts (calls, statuses)."""
    client = httpx.Client(base_url=url, timeout=30,
                          limits=httpx.Limits(max_connections=THREADS))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = time.monotonic() + seconds

    def loop(k: int) -> None:
        i = k
        while time.monotonic() < deadline:
            token, uuid = pairs[i % len(pairs)]
            status = client.get(f"/scheduled_events/{uuid}/invitees",
                                headers={"Authorization": f"Bearer {token}"}).status_code
            with lock:
                statuses[status] += 1
            i += THREADS

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    out.put((sum(statuses.values()), dict(statuses)))


def baseline(url: str, pairs: list[tuple[str, str]], processes: int, seconds: float) -> dict:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 3.0  # every process imported and waiting
    share = len(pairs) // processes
    procs = [
        ctx.Process(target=bare_calls,
                    args=(url, pairs[k * share:] + pairs[:k * share], start_at, seconds, out))
        for k in range(processes)
    ]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for proc in procs:
        proc.join(10)
    calls = sum(r[0] for r in results)
    statuses: Counter[str] = Counter()
    for _, by_status in results:
        statuses.update({str(k): v for k, v in by_status.items()})
    return {"processes": processes, "threads_each": THREADS, "calls": calls,
            "calls_per_s": round(calls / seconds, 1), "statuses": dict(statuses)}


# -- Django side -----------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing the database name {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(HERE), str(ROOT / "src"), str(ROOT / "example"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def connect_members(sandbox_url: str, members: list[dict[str, Any]]) -> None:
    """Each member connects as a user would: our connect view, Calendly's consent (the
    sandbox's ``POST /oauth/authorize`` as that member), our callback."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from django_calendly.models import CalendlyConnection

    users = get_user_model()
    with httpx.Client(base_url=sandbox_url, timeout=30) as calendly:
        for member in members:
            user = users.objects.create_user(member["email"].split("@")[0])
            browser = Client()
            browser.force_login(user)
            start = browser.get("/modules/calendly/oauth/connect/")
            assert start.status_code == 302, start.content
            query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
            approved = calendly.post("/oauth/authorize", data={**query, "user": member["uri"]})
            assert approved.status_code == 302, approved.text
            back = urlsplit(approved.headers["location"])
            done = browser.get(f"{back.path}?{back.query}")
            assert done.status_code == 302, done.content
            connection = CalendlyConnection.objects.get(user=user)
            assert connection.owner == member["uri"], (connection.owner, member["uri"])
            member["connection"] = connection.pk


def empty_mirror() -> None:
    """TRUNCATE the mirror and the sync states (a first sync of every connection)."""
    from django.db import connection

    from django_calendly.models import EventType, Invitee, ScheduledEvent, SyncState

    tables = [m._meta.db_table for m in (ScheduledEvent, Invitee, EventType, SyncState)]
    tables += [ScheduledEvent.seen_by.through._meta.db_table,
               EventType.seen_by.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def flush(url: str) -> Any:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    return client


class Control:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)

    def get(self, name: str) -> Any:
        return self.http.get(f"/_sandbox/{name}").raise_for_status().json()

    def post(self, name: str, **data: Any) -> Any:
        return self.http.post(f"/_sandbox/{name}", json=data).raise_for_status().json()

    def fresh_windows(self, latency: float, limit: int) -> None:
        """New rate windows (the limit set again) and counters from zero."""
        self.post("configure", latency=latency, rate_limit=limit, rate_window=60)
        self.post("reset_stats")


def run_sync_all(
    args: argparse.Namespace, workers: int, members: list[dict[str, Any]], control: Control,
    env: dict[str, str], sandbox_pid: int, logdir: Path, timeout: float,
) -> dict[str, Any]:
    """``calendly_sync --all`` on ``workers`` fresh rqworkers until every sync of
    ``members`` succeeded; the figures."""
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import Count
    from rq import Worker
    from rq.registry import FailedJobRegistry
    from tests.webhooks.workers import Supervisor, rq_worker

    from django_calendly.models import Invitee, ScheduledEvent, SyncState

    empty_mirror()
    queue_redis = flush(args.rq_url)
    flush(args.limiter_url)
    control.fresh_windows(args.latency, args.limit)
    supervisor = Supervisor(logdir)
    names = [f"bench-{len(members)}u-{workers}w-{k}-{os.getpid()}" for k in range(workers)]
    try:
        for name in names:
            supervisor.start(name, rq_worker(name), env)
        deadline = time.monotonic() + 120
        while {w.name for w in Worker.all(connection=queue_redis)} != set(names):
            if time.monotonic() > deadline:
                raise SystemExit(f"the workers did not start:\n{supervisor.logs()}")
            time.sleep(0.2)
        pids = {name: supervisor.managed[name].process.pid for name in names}
        sampler = Sampler(pids)
        cpu_before = {name: cpu_seconds(pid, children=True) for name, pid in pids.items()}
        sandbox_cpu = cpu_seconds(sandbox_pid)
        services_cpu = service_cpu_seconds()
        own_cpu = time.process_time()
        busy0, total0 = machine_ticks()
        load_before = os.getloadavg()[0]
        control.post("reset_stats")
        began = time.time()
        out = StringIO()
        call_command("calendly_sync", "--all", stdout=out)
        enqueued = out.getvalue().count("enqueued (task")
        want = {m["uri"] for m in members}
        deadline = time.monotonic() + timeout
        while True:
            done = SyncState.objects.filter(scope="user", scope_uri__in=want)
            if done.filter(status=SyncState.Status.FAILED).exists():
                raise SystemExit(f"a sync failed:\n{supervisor.logs()}")
            if done.filter(status=SyncState.Status.SUCCEEDED).count() == len(want):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"not done in {timeout:.0f} s:\n{supervisor.logs()}")
            time.sleep(1.0)  # two queries a second: the bench's own load stays small
        finished = max(s.last_finished_at for s in done).timestamp()
        wall = finished - began
        sampler.stop()
        cpu = {name: cpu_seconds(pid, children=True) - cpu_before[name]
               for name, pid in pids.items()}
        sandbox_cpu = cpu_seconds(sandbox_pid) - sandbox_cpu
        services_cpu = {k: v - services_cpu[k] for k, v in service_cpu_seconds().items()}
        own_cpu = time.process_time() - own_cpu
        busy1, total1 = machine_ticks()
        load_after = os.getloadavg()[0]
        failed_jobs = FailedJobRegistry("default", connection=queue_redis).count
    finally:
        supervisor.stop()

    stats = control.get("stats")
    windows = control.get("rate_windows")
    users = {m["uri"]: windows.get(m["uri"], {}) for m in members}
    calls = sum(stats["statuses"].values())
    asked = {uri: max((w[2] + w[3] for w in u.get("windows", [])), default=0)
             for uri, u in users.items()}
    seen = Counter(dict(
        ScheduledEvent.seen_by.through.objects.values_list("calendlyconnection_id")
        .annotate(n=Count("id")).values_list("calendlyconnection_id", "n")
    ))
    events_each = {m["events"] for m in members}
    cores = os.cpu_count() or 1
    busy_s = (busy1 - busy0) / TICKS
    elapsed = sorted(float((s.counts or {}).get("elapsed") or 0) for s in done)
    return {
        "workers": workers,
        "tasks_enqueued": enqueued,
        "wall_s": round(wall, 2),
        "calls": calls,
        "calls_per_s": round(calls / wall, 1),
        "latency_bound_calls_per_s": round(workers * THREADS / args.latency, 1),
        "failed_calls": calls - stats["statuses"].get("200", 0),
        "statuses": stats["statuses"],
        "rate_limited_429": stats["rate_limited"],
        "failed_rq_jobs": failed_jobs,
        "calls_per_user": sorted({u.get("served", 0) for u in users.values()}),
        # Asked in one of the sandbox's windows, refused ones included (Calendly's counting:
        # its X-RateLimit-Reset says when the window resets).
        "max_requests_in_a_sandbox_window": max(asked.values(), default=0),
        "users_over_limit_in_a_window": sum(1 for n in asked.values() if n > args.limit),
        # Served in any 60 s on the sandbox's clock, whatever the alignment (stricter:
        # measured on arrival, after the latency, so calls in flight can shift in).
        "max_calls_in_any_60s_span": max(u.get("max_in_any_span", 0) for u in users.values()),
        "users_over_limit_in_any_60s_span": sum(
            1 for u in users.values() if u.get("max_in_any_span", 0) > args.limit
        ),
        "mirror_ok": (
            ScheduledEvent.objects.count() == sum(m["events"] for m in members)
            and Invitee.objects.count() == sum(m["events"] for m in members)
            and all(seen[m["connection"]] == m["events"] for m in members)
        ),
        "events_per_user": sorted(events_each),
        "peak_rss_mb_worker": {n: round(kb / 1024, 1) for n, kb in sampler.worker_hwm.items()},
        "peak_rss_mb_work_horse": {n: round(kb / 1024, 1)
                                   for n, kb in sampler.horse_hwm.items()},
        "sync_elapsed_s_median_max": [round(elapsed[len(elapsed) // 2], 2),
                                      round(elapsed[-1], 2)],
        "cpu_s_workers": round(sum(cpu.values()), 1),
        "cpu_s_per_call_workers_ms": round(sum(cpu.values()) / calls * 1000, 2),
        "cpu_s_sandbox": round(sandbox_cpu, 1),
        "sandbox_cpu_share_of_one_core": round(sandbox_cpu / wall, 2),
        "cpu_s_postgres": round(services_cpu["postgres"], 1),
        "cpu_s_redis": round(services_cpu["redis-server"], 1),
        "cpu_s_bench_process": round(own_cpu, 1),
        "cpu_s_machine": round(busy_s, 1),
        "cpu_s_everything_else": round(
            busy_s - sum(cpu.values()) - sandbox_cpu - sum(services_cpu.values()) - own_cpu, 1
        ),
        "machine_busy_cores": round((busy1 - busy0) / (total1 - total0) * cores, 2),
        "cores": cores,
        "load_1min_before_after": [round(load_before, 2), round(load_after, 2)],
    }


def single_user_usage(windows: list[list[float]], limit: int) -> dict[str, Any]:
    """The share of the limit used: calls served from the first window's start to the last
    window's start, over the limit for that long (the gaps between windows count as
    unused), and the calls of each full window."""
    full = windows[:-1]
    if not full:
        return {"full_windows": 0}
    span = windows[-1][0] - windows[0][0]
    served = sum(w[2] for w in full)
    return {
        "full_windows": len(full),
        "span_s": round(span, 1),
        "calls_in_full_windows": served,
        "calls_per_full_window_min_max": [min(w[2] for w in full), max(w[2] for w in full)],
        "used_share_of_limit": round(served / (limit * span / 60), 3),
        "gap_after_window_s_max": round(max(
            (b[0] - a[0] - 60 for a, b in itertools.pairwise(windows)), default=0
        ), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--events", type=int, default=100, help="meetings per user")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--limit", type=int, default=500, help="requests per user per minute")
    parser.add_argument("--single-events", type=int, default=20_000)
    parser.add_argument("--single-workers", type=int, default=4)
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true",
                        help="20 users x 20 events, 600 for the single user, 3 s baselines")
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/bench_pg")
    parser.add_argument("--rq-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--limiter-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    if args.quick:
        args.users, args.events = min(args.users, 20), min(args.events, 20)
        args.single_events = min(args.single_events, 600)
        args.baseline_seconds = min(args.baseline_seconds, 3.0)
    worker_counts = [int(n) for n in args.workers.split(",")]

    from django_calendly.sandbox import SandboxProcess

    figures: dict[str, Any] = {
        "users": args.users, "events_per_user": args.events, "latency_s": args.latency,
        "limit_per_user_per_minute": args.limit, "cores": os.cpu_count(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_1min_at_start": round(os.getloadavg()[0], 2),
    }
    recreate_database(args.database_url)
    flush(args.rq_url)
    flush(args.limiter_url)
    began = time.monotonic()
    with SandboxProcess(token=TOKEN, seed=0, random_seed=1, rate_limit=args.limit,
                        latency=0) as sandbox, tempfile.TemporaryDirectory() as tmp:
        control = Control(sandbox.url)
        info = sandbox.info()
        members = control.post("users", count=args.users, events=args.events)
        for member in members:
            member["events"] = args.events
        print(f"sandbox: {args.users} users x {args.events} events in "
              f"{time.monotonic() - began:.1f} s", flush=True)
        env = {
            "DJANGO_SETTINGS_MODULE": "many_accounts_settings",
            "DATABASE_URL": args.database_url,
            "BENCH_RQ_URL": args.rq_url,
            "CALENDLY_BASE_URL": sandbox.url,
            "CALENDLY_AUTH_BASE_URL": sandbox.url,
            "CALENDLY_CLIENT_ID": info["oauth_client_id"],
            "CALENDLY_CLIENT_SECRET": info["oauth_client_secret"],
            "CALENDLY_ACCESS_TOKEN": "",  # connections only: no app-wide sync task
            "CALENDLY_ORGANIZATION": "",
            "CALENDLY_WEBHOOK_URL": "",
            "CALENDLY_RATE_LIMIT_PER_MINUTE": str(args.limit),
            "CALENDLY_RATE_LIMIT_STORAGE": args.limiter_url,
        }
        setup_django(env)
        from tests.webhooks.workers import worker_env

        t = time.monotonic()
        connect_members(sandbox.url, members)
        print(f"connected {len(members)} users through OAuth in {time.monotonic() - t:.1f} s",
              flush=True)
        worker_environment = worker_env(**env, PYTHONPATH=os.pathsep.join(
            [str(HERE), str(ROOT), str(ROOT / "example"), str(ROOT / "src")]
        ))
        flush(args.rq_url)  # the first syncs the callbacks enqueued: the runs below do them

        # 2. Baseline: bare HTTP, the members' tokens, events interleaved across users.
        from django_calendly.models import CalendlyConnection

        tokens = {c.owner: c.access_token for c in CalendlyConnection.objects.all()}
        per_user: list[list[tuple[str, str]]] = []
        with httpx.Client(base_url=sandbox.url, timeout=30) as api:
            for member in members:
                token = tokens[member["uri"]]
                page = api.get("/scheduled_events", params={"user": member["uri"], "count": 100},
                               headers={"Authorization": f"Bearer {token}"}).json()
                per_user.append([(token, e["uri"].rsplit("/", 1)[1])
                                 for e in page["collection"]])
        pairs = [p for group in zip(*per_user, strict=False) for p in group]
        figures["baseline_bare_http"] = []
        for processes in worker_counts:
            control.fresh_windows(args.latency, args.limit)
            result = baseline(sandbox.url, pairs, processes, args.baseline_seconds)
            result["rate_limited_429"] = control.get("stats")["rate_limited"]
            figures["baseline_bare_http"].append(result)
            print("baseline:", result, flush=True)

        # 3. The sync of every connection on 1, 2, 4 workers.
        logdir = Path(tmp)
        bound = args.users * (args.events + 3) * args.latency / THREADS
        figures["sync_all"] = []
        for workers in worker_counts:
            result = run_sync_all(args, workers, members, control, worker_environment,
                                  sandbox.process.pid, logdir, timeout=max(600, 20 * bound))
            figures["sync_all"].append(result)
            print("sync --all:", json.dumps(result), flush=True)
        runs = {r["workers"]: r for r in figures["sync_all"]}
        bases = {r["processes"]: r for r in figures["baseline_bare_http"]}
        if 1 in runs and max(runs) > 1:
            top = max(runs)
            figures["scaling"] = {
                f"sync_{top}_over_1": round(runs[top]["calls_per_s"] / runs[1]["calls_per_s"], 2),
                f"bare_{top}_over_1": round(
                    bases[top]["calls_per_s"] / bases[1]["calls_per_s"], 2
                ) if 1 in bases and top in bases else None,
            }
            print("scaling:", figures["scaling"], flush=True)

        # 4. One user holding all the events, alone, on 4 workers.
        if not args.skip_single:
            solo = control.post("users", count=1, events=args.single_events, prefix="solo")
            solo[0]["events"] = args.single_events
            CalendlyConnection.objects.update(last_error="bench: left out of the single run")
            control.post("configure", latency=0)
            connect_members(sandbox.url, solo)
            flush(args.rq_url)
            minutes = (args.single_events + 10) / args.limit
            result = run_sync_all(args, args.single_workers, solo, control,
                                  worker_environment, sandbox.process.pid, logdir,
                                  timeout=minutes * 60 * 1.5 + 300)
            windows = control.get("rate_windows").get(solo[0]["uri"], {}).get("windows", [])
            result["usage"] = single_user_usage(windows, args.limit)
            result["window_calls"] = [w[2] for w in windows]
            figures["single_user"] = result
            print("single user:", json.dumps(result), flush=True)

    figures["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    figures["load_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
