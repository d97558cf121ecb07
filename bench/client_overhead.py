"""What CalendlyClient costs over a bare httpx.Client, and how many TCP connections it opens.

    .venv/bin/python bench/client_overhead.py [--calls 1000] [--rounds 10]

The sandbox runs in a subprocess (``python -m django_calendly.sandbox``) so the server does
not share the GIL with the measured clients. Both clients send the same GET
``/event_types/{uuid}`` with the same headers and timeouts and decode the JSON; the bare
one does only ``raise_for_status()`` and ``json()["resource"]``, the CalendlyClient also
validates the uuid, runs its retry/rate-limit bookkeeping and maps errors. After a warm-up,
the calls run in interleaved rounds (alternating which client goes first) to spread noise
evenly. Targets: overhead <= 10 % over bare httpx; exactly 1 TCP connection accepted by the
sandbox for all of the CalendlyClient's calls.

A second, in-process figure uses httpx.MockTransport (no network, no server) to show the
client's own CPU cost per call in microseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from django_calendly.client import CalendlyClient  # noqa: E402
from django_calendly.client.client import USER_AGENT  # noqa: E402
from django_calendly.sandbox import SandboxProcess  # noqa: E402

TOKEN = "bench-token"


def control(http: httpx.Client, method: str, name: str) -> Any:
    """A sandbox control call on an already-open connection (so it adds none to the count)."""
    response = http.request(method, f"/_sandbox/{name}", json={} if method == "POST" else None)
    response.raise_for_status()
    return response.json()


def timed(call: Callable[[], object], n: int, into: list[float]) -> None:
    clock = time.perf_counter_ns
    for _ in range(n):
        started = clock()
        call()
        into.append((clock() - started) / 1000.0)  # microseconds


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median": statistics.median(ordered),
        "mean": statistics.fmean(ordered),
        "p90": ordered[int(len(ordered) * 0.9) - 1],
    }


def compare(
    label: str,
    bare_call: Callable[[], object],
    client_call: Callable[[], object],
    calls: int,
    rounds: int,
    warmup: int,
) -> tuple[dict[str, float], dict[str, float]]:
    for _ in range(warmup):
        bare_call()
        client_call()
    bare: list[float] = []
    client: list[float] = []
    round_ratios: list[float] = []
    per_round = calls // rounds
    for index in range(rounds):
        order = [(bare_call, bare), (client_call, client)]
        if index % 2:
            order.reverse()
        for call, into in order:
            timed(call, per_round, into)
        round_ratios.append(
            statistics.median(client[-per_round:]) / statistics.median(bare[-per_round:])
        )
    b, c = summary(bare), summary(client)
    c["round_ratio"] = statistics.median(round_ratios)
    print(f"\n{label}: {len(bare)} calls each, {rounds} interleaved rounds, {warmup} warm-up")
    print(f"  {'':<16}{'median us':>12}{'mean us':>12}{'p90 us':>12}")
    print(f"  {'bare httpx':<16}{b['median']:>12.1f}{b['mean']:>12.1f}{b['p90']:>12.1f}")
    print(f"  {'CalendlyClient':<16}{c['median']:>12.1f}{c['mean']:>12.1f}{c['p90']:>12.1f}")
    print(
        f"  overhead: median {100 * (c['median'] / b['median'] - 1):+.1f} % "
        f"({c['median'] - b['median']:+.1f} us/call), "
        f"mean {100 * (c['mean'] / b['mean'] - 1):+.1f} % ({c['mean'] - b['mean']:+.1f} us/call)"
    )
    print(f"  median over rounds of (client median / bare median): "
          f"{100 * (c['round_ratio'] - 1):+.1f} %")
    return b, c


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()

    # Thousands of calls a minute: far over Calendly's limit, so limits are off here.
    with SandboxProcess(token=TOKEN, seed=50, rate_limit="off") as sandbox:
        base = sandbox.url
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json",
                   "User-Agent": USER_AGENT}
        timeout = httpx.Timeout(10.0, connect=5.0)
        bare_http = httpx.Client(base_url=base, headers=headers, timeout=timeout,
                                 trust_env=False)
        first = bare_http.get("/event_types", params={"organization": control(
            bare_http, "GET", "info")["organization"]}).json()["collection"][0]
        uuid = first["uri"].rsplit("/", 1)[1]
        path = f"/event_types/{uuid}"

        def bare_call() -> object:
            response = bare_http.get(path)
            response.raise_for_status()
            return response.json()["resource"]

        bare_call()  # the bare client's connection is open before the count starts
        control(bare_http, "POST", "reset_stats")
        client = CalendlyClient(token=TOKEN, base_url=base, trust_env=False)

        def client_call() -> object:
            return client.event_types.get(uuid)

        b, c = compare("Over loopback HTTP (sandbox subprocess)", bare_call, client_call,
                       args.calls, args.rounds, args.warmup)
        stats = control(bare_http, "GET", "stats")
        print(f"  TCP connections accepted by the sandbox since the CalendlyClient was made: "
              f"{stats['connections']} (target 1); requests served: "
              f"{stats['total_requests']}")
        ratio = c["median"] / b["median"] - 1
        client.close()
        bare_http.close()

        body = json.dumps({"resource": first}).encode()

        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=body,
                                  headers={"Content-Type": "application/json"})

        mock_bare = httpx.Client(base_url=base, headers=headers, timeout=timeout,
                                 transport=httpx.MockTransport(answer))
        mock_client = CalendlyClient(token=TOKEN, base_url=base,
                                     transport=httpx.MockTransport(answer))

        def mock_bare_call() -> object:
            response = mock_bare.get(path)
            response.raise_for_status()
            return response.json()["resource"]

        compare("In process (httpx.MockTransport, no network)", mock_bare_call,
                lambda: mock_client.event_types.get(uuid), args.calls, args.rounds,
                args.warmup)
        print(f"\nResult: overhead {100 * ratio:+.1f} % over bare httpx (target <= 10 %): "
              f"{'met' if ratio <= 0.10 else 'NOT met'}; connections "
              f"{stats['connections']} (target 1): "
              f"{'met' if stats['connections'] == 1 else 'NOT met'}")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
