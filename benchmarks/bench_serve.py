"""Speed of the web API (issue 14: ``asnrules serve``). Prints figures; asserts only that the server
answers what the library answers.

One live ``asnrules serve rules/`` (tests/serving.py's ``live_server``: a subprocess on a free loopback
port), one keep-alive ``http.client`` connection, the same random situations (seeded) for every step:

1. ``--requests`` (2,000) POST /v1/evaluate, one after the other: requests/s, p50 and p99 latency (ms),
   beside the same decisions in-process (``rs.evaluate`` + the serialiser, ``stamped(...to_json())``
   and ``json.dumps``): µs per decision. Goal: p50 <= 2 ms.
2. One POST /v1/evaluate/batch of ``--batch`` (10,000) situations: decisions/s (best of three), beside
   the compiled engine in-process on the same situations (decisions only, and with the serialiser).
   Goal: >= 100,000 decisions/s.

Usage: python benchmarks/bench_serve.py [--requests 2000] [--batch 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asnrules
from asnrules.answers import stamped

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from serving import live_server  # noqa: E402
from strategies import RandomChooser, plain_situations  # noqa: E402  plain random: no Hypothesis needed

WINDOWS = [(dt.date(2023, 8, 28), dt.date(2023, 9, 7)), (dt.date(2024, 4, 16), dt.date(2024, 4, 17))]
FIRST_DAY = dt.date(2022, 1, 1)
REGIONS = ["DKI", "Jawa Barat", "Bali", "Aceh", "Papua", "31", "ID-JK", "Jakarta"]
CATEGORIES = ["admin", "administration", "leadership-support", "frontline", "health", "security"]


def bodies(n: int, seed: int = 14) -> list[dict[str, Any]]:
    """``n`` random situations (seeded), mostly while SE 17/2023 or SE 1/2024 is in force, as JSON."""
    raw = plain_situations(
        RandomChooser(seed), n, windows=WINDOWS, first_day=FIRST_DAY, regions=REGIONS, categories=CATEGORIES
    )
    return [{"date": d.isoformat(), "region": r, "counts": c} for d, r, c in raw]


def post(conn: http.client.HTTPConnection, path: str, body: bytes) -> tuple[int, bytes]:
    conn.request("POST", path, body=body, headers={"content-type": "application/json"})
    response = conn.getresponse()
    return response.status, response.read()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()

    rs = asnrules.load(ROOT / "rules")
    singles = bodies(args.requests)
    batch = bodies(args.batch, seed=15)
    batch_body = json.dumps({"situations": batch}).encode()
    print(f"asnrules {asnrules.__version__}, rules/: {len(rs.circulars)} instruments, Python {sys.version.split()[0]}")

    with live_server() as base:
        url = urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=120)
        encoded = [json.dumps(b).encode() for b in singles]
        for body in encoded[:200]:  # warm up: the compiled engine built, the caches filled
            post(conn, "/v1/evaluate", body)
        latencies: list[float] = []
        answers: list[Any] = []
        started = time.perf_counter()
        for body in encoded:
            t0 = time.perf_counter()
            status, data = post(conn, "/v1/evaluate", body)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                raise SystemExit(f"POST /v1/evaluate answered {status}: {data[:300]!r}")
            answers.append(data)
        wall = time.perf_counter() - started

        batch_times: list[float] = []
        batch_answer: Any = None
        for _ in range(3):
            t0 = time.perf_counter()
            status, data = post(conn, "/v1/evaluate/batch", batch_body)
            batch_times.append(time.perf_counter() - t0)
            if status != 200:
                raise SystemExit(f"POST /v1/evaluate/batch answered {status}: {data[:300]!r}")
            batch_answer = data
        conn.close()

    # in-process: the same decisions, the same serialiser
    def decide(b: dict[str, Any]) -> str:
        return json.dumps(stamped(rs.evaluate(b["date"], b["region"], b["counts"]).to_json(), rs))

    for b in singles[:200]:
        decide(b)
    t0 = time.perf_counter()
    local = [decide(b) for b in singles]
    in_process = time.perf_counter() - t0
    same = all(json.loads(a) == json.loads(x) for a, x in zip(answers, local, strict=True))

    compiled = rs._compiled_evaluator()
    prepared = [rs.situation(b["date"], b["region"], b["counts"]) for b in batch]
    best_decide = best_full = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        results = [compiled(s) for s in prepared]
        best_decide = min(best_decide, time.perf_counter() - t0)
        t0 = time.perf_counter()
        full = [stamped(rs.evaluate(b["date"], b["region"], b["counts"]).to_json(), rs) for b in batch]
        best_full = min(best_full, time.perf_counter() - t0)
    same_batch = json.loads(batch_answer)["results"] == json.loads(json.dumps(full))
    del results

    ms = [x * 1000 for x in latencies]
    print(f"\n1. POST /v1/evaluate x {len(encoded)} (one keep-alive connection, sequential)")
    print(
        f"   {len(encoded) / wall:,.0f} requests/s; latency p50 {percentile(ms, 50):.3f} ms, "
        f"p99 {percentile(ms, 99):.3f} ms, mean {statistics.fmean(ms):.3f} ms  (goal: p50 <= 2 ms)"
    )
    print(
        f"   in-process, the same decisions (rs.evaluate + stamped/to_json + json.dumps): "
        f"{in_process / len(singles) * 1e6:.1f} µs/decision"
    )
    print(f"   answers equal to the library's: {same}")
    best = min(batch_times)
    print(f"\n2. POST /v1/evaluate/batch of {len(batch)} situations (best of 3)")
    print(f"   {best * 1000:.0f} ms: {len(batch) / best:,.0f} decisions/s  (goal: >= 100,000 decisions/s)")
    print(
        f"   in-process compiled engine, decisions only: {len(batch) / best_decide:,.0f} decisions/s "
        f"({best_decide / len(batch) * 1e6:.2f} µs each)"
    )
    print(f"   in-process, checked arguments + compiled + serialiser: {len(batch) / best_full:,.0f} decisions/s")
    print(f"   answers equal to the library's: {same_batch}")
    if not (same and same_batch):
        raise SystemExit("the server's answers differ from the library's")


if __name__ == "__main__":
    main()
