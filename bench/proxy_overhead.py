"""What our REST endpoint adds on top of a direct Calendly client call, and how many upstream
connections it opens.

One run: a sandbox in a subprocess; the demo project migrated into a temporary SQLite file
with one user; gunicorn (2 workers, ``gthread`` with 4 threads each by default) serving it
against the sandbox. Then the median and p95 latency of
``GET /modules/calendly/scheduled/events/<uuid>/`` through gunicorn (HTTP Basic), and of the
same call made directly with ``CalendlyClient``; and the TCP connections the sandbox accepted
during the proxied calls (each worker should reuse one pooled client).

    .venv/bin/python bench/proxy_overhead.py [--calls 500] [--workers 2]
        [--worker-class gthread|sync] [--threads 4] [--split]

The same run also starts a second gunicorn, with the same worker settings, serving a
hello-world WSGI app, and times as many requests to it after the measured loop: the
machine's baseline for one round trip through gunicorn with nothing behind it. "Added" is
reported in milliseconds and as a multiple of that baseline, to compare runs on machines of
different speed.

``--split`` serves the project through a thin WSGI wrapper that puts the time spent inside
Django (from the WSGI call to ``start_response``) in a response header, and reports it next
to the end-to-end times: what is left is gunicorn, the socket and the bench's HTTP client.

Both clients keep their connection open between calls (HTTP keep-alive), as a browser or an
API client would. gunicorn's ``gthread`` workers honour keep-alive; its default ``sync``
workers close the connection after every response, so with ``--worker-class sync`` each
proxied call also pays a TCP connect, gunicorn's accept and a close, which the direct client
call does not (on loopback, within noise in interleaved A/B runs on the 2-vCPU machine of
docs/benchmarks.md).

HTTP Basic verifies the password on every request; with Django's default PBKDF2 hasher that
alone costs hundreds of milliseconds, which measures the hasher, not the proxy. The run
therefore uses a settings module (written to the temporary directory) that is the demo's
with a fast hasher; ``--default-hasher`` keeps the demo's hasher.
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
from pathlib import Path

import httpx

from _common import (
    FAST_HASHER_SETTINGS,
    demo_env,
    gunicorn_pair,
    migrate_with_user,
    percentile,
)

TOKEN = "bench-proxy-token"
USER, PASSWORD = "bench", "bench-password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread",
                        help="gunicorn worker class (sync: no keep-alive)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--seed", type=int, default=50, help="events the sandbox seeds")
    parser.add_argument("--default-hasher", action="store_true",
                        help="keep the demo's PBKDF2 password hasher")
    parser.add_argument("--split", action="store_true",
                        help="also report the time spent inside Django, measured in the worker")
    args = parser.parse_args()

    from django_calendly.client import CalendlyClient
    from django_calendly.sandbox import SandboxProcess

    tmp = Path(tempfile.mkdtemp(prefix="calendly-bench-"))
    settings_module = "demo.settings"
    if not args.default_hasher:
        (tmp / "bench_settings.py").write_text(FAST_HASHER_SETTINGS)
        settings_module = "bench_settings"
    wsgi_app = "demo.wsgi"
    if args.split:
        (tmp / "bench_timing_wsgi.py").write_text(
            "import time\n"
            "from demo.wsgi import application as django_app\n\n\n"
            "def application(environ, start_response):\n"
            "    began = time.perf_counter()\n\n"
            "    def timed_start_response(status, headers, exc_info=None):\n"
            "        spent = (time.perf_counter() - began) * 1e6\n"
            "        headers.append(('X-Bench-App-Us', str(round(spent))))\n"
            "        return start_response(status, headers, exc_info)\n\n"
            "    return django_app(environ, timed_start_response)\n"
        )
        wsgi_app = "bench_timing_wsgi"
    env = demo_env(tmp, settings_module, TOKEN)
    sandbox: SandboxProcess | None = None
    try:
        # Thousands of calls a minute: far over Calendly's limit, so limits are off here.
        sandbox = SandboxProcess(token=TOKEN, seed=args.seed, rate_limit="off")
        sandbox_url = env["CALENDLY_BASE_URL"] = sandbox.url
        # Idle connections kept for the whole run, so stats calls open none of their own.
        control = httpx.Client(
            base_url=sandbox_url, timeout=10, limits=httpx.Limits(keepalive_expiry=600)
        )
        migrate_with_user(env, USER, PASSWORD)
        worker_args = [
            "-w", str(args.workers), "--worker-class", args.worker_class,
            *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
            "--log-level", "warning",
        ]
        with gunicorn_pair(env, tmp, worker_args, wsgi_app) as served:
            path_template = "/modules/calendly/scheduled/events/{}/"
            auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            direct_ms: list[float] = []
            proxied_ms: list[float] = []
            floor_ms: list[float] = []  # same endpoint, refused before any upstream call
            hello_ms: list[float] = []  # gunicorn with nothing behind it: the machine's baseline
            app_ms: dict[str, list[float]] = {"proxied": [], "floor": []}  # with --split

            def app_time(response: httpx.Response) -> float:
                return int(response.headers.get("X-Bench-App-Us", "0")) / 1000
            with (
                CalendlyClient(token=TOKEN, base_url=sandbox_url, max_retries=0) as direct,
                httpx.Client(
                    base_url=served.web_url, timeout=30, headers={"Authorization": auth}
                ) as web,
                httpx.Client(base_url=served.hello_url, timeout=30) as bare,
            ):
                org = direct.users.me()["current_organization"]
                event = direct.scheduled_events.list(organization=org, count=1).items[0]
                uuid = event["uri"].rsplit("/", 1)[-1]
                path = path_template.format(uuid)
                for _ in range(20):
                    direct.scheduled_events.get(uuid)
                    bare.get("/").raise_for_status()
                # Connections are counted from here: the control client's and the direct
                # client's connections are already open, and no proxied call has been made.
                control.post("/_sandbox/reset_stats").raise_for_status()
                # Interleaved, so that the load of the machine weighs on both series alike.
                for _ in range(args.calls):
                    began = time.perf_counter()
                    direct.scheduled_events.get(uuid)
                    direct_ms.append((time.perf_counter() - began) * 1000)
                    began = time.perf_counter()
                    response = web.get(path)
                    proxied_ms.append((time.perf_counter() - began) * 1000)
                    app_ms["proxied"].append(app_time(response))
                    if response.status_code != 200 or response.json() != {"resource": event}:
                        raise SystemExit(
                            f"unexpected answer {response.status_code}: {response.text[:300]}"
                        )
                    # Authenticated, but a bad uuid: 400 before any upstream call. What gunicorn,
                    # Django, the host's middleware and authentication cost without Calendly.
                    began = time.perf_counter()
                    refused = web.get(path_template.format("bad$uuid"))
                    floor_ms.append((time.perf_counter() - began) * 1000)
                    app_ms["floor"].append(app_time(refused))
                    if refused.status_code != 400:
                        raise SystemExit(f"expected a 400, got {refused.status_code}")
                # The baseline in a loop of its own, after the measured one: interleaved, its
                # requests would be one more process between the measured ones.
                for _ in range(args.calls):
                    began = time.perf_counter()
                    bare.get("/").raise_for_status()
                    hello_ms.append((time.perf_counter() - began) * 1000)
        stats = control.get("/_sandbox/stats").json()
        control.close()
    finally:
        if sandbox is not None:
            sandbox.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    direct_median = statistics.median(direct_ms)
    proxied_median = statistics.median(proxied_ms)
    added = proxied_median - direct_median
    hello_median = statistics.median(hello_ms)
    upstream_calls = stats["requests"].get("GET /scheduled_events/{uuid}", 0) - args.calls
    workers = f"{args.workers} {args.worker_class}" + (
        f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    print(f"calls: {args.calls} each; gunicorn workers: {workers}; "
          f"hasher: {'demo default (PBKDF2)' if args.default_hasher else 'MD5 (bench)'}")
    print(f"direct CalendlyClient   median {direct_median:7.2f} ms   "
          f"p95 {percentile(direct_ms, 0.95):7.2f} ms")
    print(f"through gunicorn        median {proxied_median:7.2f} ms   "
          f"p95 {percentile(proxied_ms, 0.95):7.2f} ms")
    print(f"hello-world gunicorn    median {hello_median:7.2f} ms   "
          f"p95 {percentile(hello_ms, 0.95):7.2f} ms   (baseline: one bare round trip)")
    print(f"added by the endpoint   median {added:7.2f} ms   (target <= 3 ms)   "
          f"= {added / hello_median:.2f} x the baseline")
    print(f"  of which a request refused before the upstream call (gunicorn, Django, "
          f"middleware, Basic auth) costs median {statistics.median(floor_ms):.2f} ms")
    if args.split:
        for label, name, series in (("200", "proxied", proxied_ms), ("400", "floor", floor_ms)):
            inside = statistics.median(app_ms[name])
            print(f"  {label}: inside Django (in the worker) median {inside:.2f} ms, "
                  f"outside (gunicorn, socket, bench client) "
                  f"{statistics.median(series) - inside:.2f} ms")
    print(f"upstream calls during the proxied run: {upstream_calls}")
    print(f"upstream TCP connections accepted during the proxied run: {stats['connections']} "
          f"(target <= {args.workers})")
    ok = added <= 3.0 and stats["connections"] <= args.workers
    print("PASS" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
