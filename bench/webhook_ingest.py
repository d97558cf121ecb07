"""Webhook ingest benchmark: the example project under gunicorn (2 workers) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/webhook_ingest.py [--deliveries 5000 --clients 8 --rounds 10]

Creates a database ``calendly_bench`` on that server (dropped at the end), creates the
tables, starts gunicorn with the bench-only baseline view (``DEMO_BENCH_BASELINE=1``), then
sends 5,000 signed deliveries from 8 concurrent clients (threads with httpx) to

- the baseline (reads the body, inserts one row), and
- the real receiver (verify, store under a unique idempotency key, enqueue processing),

in the same run, and prints deliveries/s and latency percentiles. It does this twice: with
the Immediate tasks backend (processing into the mirror happens inside the request) and
with ``DEMO_TASKS_BACKEND=db`` (django-tasks-db: the request only enqueues). Afterwards it
counts the rows: nothing may be lost.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webhooks.scenario import build  # noqa: E402

from django_calendly.client.signatures import sign  # noqa: E402

KEY = "bench-signing-key"
DB_NAME = "calendly_bench"
WEBHOOK = "/modules/calendly/webhook/"
BASELINE = "/bench/baseline/"

SETUP = """
import django
from django.conf import settings


class NoMigrations(dict):
    def __contains__(self, item): return True
    def __getitem__(self, item): return None


settings.MIGRATION_MODULES = NoMigrations()
django.setup()
from django.core.management import call_command
from django.db import connection

call_command("migrate", run_syncdb=True, verbosity=0)
with connection.cursor() as c:
    c.execute("CREATE TABLE bench_baseline_delivery "
              "(id bigserial PRIMARY KEY, body text NOT NULL, received_at timestamptz NOT NULL)")
"""


@dataclass
class Result:
    name: str
    sent: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def merge(self, other: Result) -> None:
        self.sent += other.sent
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        for code, n in other.statuses.items():
            self.statuses[code] = self.statuses.get(code, 0) + n

    def line(self) -> str:
        return (
            f"{self.name:34} {self.rate:8.0f}/s  p50 {self.pct(0.50):6.1f} ms  "
            f"p99 {self.pct(0.99):6.1f} ms  statuses {dict(sorted(self.statuses.items()))}"
        )


def db_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(base: str, sql: str) -> None:
    with psycopg.connect(db_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def count(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


def send_all(url: str, bodies: list[bytes], clients: int, name: str) -> Result:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    chunks = [bodies[i::clients] for i in range(clients)]

    def worker(chunk: list[bytes]) -> None:
        mine: list[float] = []
        codes: dict[int, int] = {}
        with httpx.Client(timeout=60.0, trust_env=False) as http:
            for body in chunk:
                headers = {"Content-Type": "application/json",
                           "Calendly-Webhook-Signature": sign(body, KEY)}
                began = time.perf_counter()
                try:
                    code = http.post(url, content=body, headers=headers).status_code
                except httpx.HTTPError:
                    code = 0
                mine.append(time.perf_counter() - began)
                codes[code] = codes.get(code, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    return Result(name, len(bodies), time.perf_counter() - began, latencies, statuses)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "demo.wsgi", "-w", str(workers), "--chdir",
         str(ROOT / "example"), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{WEBHOOK}", timeout=1.0, trust_env=False)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_mode(
    mode: str, base_env: dict[str, str], url: str, port: int, n: int, clients: int,
    workers: int, rounds: int,
) -> tuple[Result, Result, str]:
    env = dict(base_env)
    if mode == "db":
        env["DEMO_TASKS_BACKEND"] = "db"
    per = n // 5  # the scenario's mix: 52% bookings, 20% cancels, 20% reschedule halves...
    scenario = build(
        invitees=round(per * 2.6), cancels=per, reschedules=per // 2,
        no_shows=round(per * 0.3), unmarked=per // 10, duplicate_ratio=0.0,
        seed=11, prefix=f"{mode}-",
    )
    bodies = scenario.stream[:n]
    before_deliveries = count(url, "SELECT count(*) FROM calendly_webhookdelivery")
    before_baseline = count(url, "SELECT count(*) FROM bench_baseline_delivery")
    server = start_server(env, port, workers)
    try:
        warm = build(invitees=40, cancels=0, reschedules=0, no_shows=0, unmarked=0,
                     duplicate_ratio=0.0, prefix=f"warm-{mode}-").stream
        send_all(f"http://127.0.0.1:{port}{BASELINE}", warm, clients, "warm-up")
        send_all(f"http://127.0.0.1:{port}{WEBHOOK}", warm, clients, "warm-up")
        before_deliveries += len(warm)
        before_baseline += len(warm)
        # Interleaved rounds (the first target alternates), so both see the same machine
        # load: this box is shared, and a load change between two long phases would
        # decide the comparison.
        baseline = Result(f"baseline insert ({mode})", 0, 0.0, [], {})
        ingest = Result(f"webhook receiver ({mode})", 0, 0.0, [], {})
        step = -(-len(bodies) // rounds)
        for r in range(rounds):
            chunk = bodies[r * step:(r + 1) * step]
            pair = [(BASELINE, baseline), (WEBHOOK, ingest)]
            for path, total in pair if r % 2 == 0 else reversed(pair):
                part = send_all(f"http://127.0.0.1:{port}{path}", chunk, clients, total.name)
                total.merge(part)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = count(url, "SELECT count(*) FROM calendly_webhookdelivery") - before_deliveries
    base_rows = count(url, "SELECT count(*) FROM bench_baseline_delivery") - before_baseline
    if mode == "db":
        processed = count(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                               "WHERE status = 'READY'")
        note = f"{processed} tasks enqueued (READY) for a db_worker"
    else:
        processed = count(url, "SELECT count(*) FROM calendly_webhookdelivery "
                               "WHERE status = 'succeeded' AND event <> ''") - before_deliveries
        note = f"{processed} processed into the mirror in the request"
    lost = (n - stored) + (n - base_rows)
    return baseline, ingest, f"rows: deliveries {stored}/{n}, baseline {base_rows}/{n}, " \
                             f"lost {lost}; {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--modes", default="immediate,db")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not server_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at a PostgreSQL server.")
    url = db_url(server_url, DB_NAME)
    admin_sql(server_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(server_url, f"CREATE DATABASE {DB_NAME}")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DJANGO_DEBUG": "0",
        "DEMO_BENCH_BASELINE": "1",
        "CALENDLY_WEBHOOK_SIGNING_KEY": KEY,
        "CALENDLY_ORGANIZATION": "https://api.calendly.com/organizations/ORG1",
        "PYTHONPATH": f"{ROOT / 'example'}:{ROOT / 'src'}",
    }
    try:
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", SETUP], env=env, check=True, cwd=ROOT / "example"
        )
        print(f"{args.deliveries} signed deliveries, {args.clients} concurrent clients, "
              f"gunicorn -w {args.workers}, PostgreSQL {DB_NAME}, {args.rounds} interleaved "
              f"rounds; load average {os.getloadavg()[0]:.1f}")
        for mode in args.modes.split(","):
            baseline, ingest, rows = run_mode(
                mode, env, url, args.port, args.deliveries, args.clients, args.workers,
                args.rounds,
            )
            print(baseline.line())
            print(ingest.line())
            print(f"  receiver/baseline throughput: {ingest.rate / baseline.rate:.0%}; {rows}")
    finally:
        admin_sql(server_url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
