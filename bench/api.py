"""Benchmark: the open data API with 3 million observations (issue #14).

    python bench/api.py [--rows 3000000] [--duration 15] [--clients 8] [--workers 2] \
        [--database-url postgres://postgres@127.0.0.1:5432/api_bench] [--redis-url redis://127.0.0.1:6379/7]

Prepares the database as `bench/pages.py` does (bootstrap, N synthetic observations loaded with COPY by
`bench/status.py`'s loader and kept between runs when the count matches, stored statuses), then starts
gunicorn with `--workers` sync workers on a free port, with the anonymous rate limit on but set far above
the load (so its Redis counter is paid on every request), and measures:

  1. one client, the observations endpoint answering 10,000 rows (one indicator, all municipalities of a
     region, every year and breakdown) as JSON and as CSV, uncached (a nonce parameter defeats the kept
     answers): median and p95 of 20 requests. The issue's target: under 200 ms;
  2. `--clients` concurrent clients for `--duration` seconds on cached endpoints (the indicator's detail, a
     100-row observations page, and the same page revalidated with If-None-Match, answered 304) and on
     /healthz: p50/p95 latency, requests/second and the share of /healthz's throughput. Target: >= 1/3.
"""

import argparse
import http.client
import importlib.util
import os
import signal
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/api_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
INDICATOR = "dagligrygning"
REGION = "1083"


def _pages_bench():
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000, help="observations to load (default 3000000)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--reload", action="store_true", help="regenerate the observations even if present")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="seconds of load per endpoint (default 15)"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()

    pages = _pages_bench()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "API_ANON_RATE": "100000000/min",
        # gunicorn runs the production checks (sundhedsaftale/production.py): a throwaway key and no mail.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "api-bench-" + os.urandom(24).hex(),
        "EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.dummy.EmailBackend",
        # Plain HTTP to gunicorn, as behind the TLS proxy in production.
        "SECURE_SSL_REDIRECT": "0",
    }
    os.environ.update(env)
    pages._prepare_database(args)
    from django.db import connection

    from indicators.models import Observation

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + Observation._meta.db_table)
    connection.close()

    port = pages._free_port()
    server = pages._start_gunicorn(port, args.workers, env)
    try:
        pages._wait_until_up(port)
        _run(pages, port, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(conn, path, headers=None):
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read(), dict(response.getheaders())


def _run(pages, port: int, args) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    big = f"/api/v1/observationer/?indikator={INDICATOR}&omraadetype=kommune&region={REGION}&antal=10000"
    status, body, _headers = _get(conn, big)
    assert status == 200, (status, body[:300])
    import json

    rows = len(json.loads(body)["results"])
    print(f"\nload average before: {_load()} (on {os.cpu_count()} cores)")
    print(
        f"\n1. {big}\n   {rows:,} rows, {len(body):,} bytes of JSON; uncached, one client, 20 requests each:"
    )
    for name, extra in (("JSON", ""), ("CSV", "&format=csv")):
        timings = []
        for n in range(22):
            began = time.perf_counter()
            status, body, _headers = _get(conn, f"{big}{extra}&nonce={time.time_ns()}{n}")
            timings.append(time.perf_counter() - began)
            assert status == 200, status
        timings = sorted(timings[2:])  # the first two warm the worker's connections
        print(
            f"   {name:<5} median {statistics.median(timings) * 1000:7.1f} ms   "
            f"p95 {pages._percentile(timings, 0.95) * 1000:7.1f} ms   ({len(body):,} bytes)"
        )

    _in_process(big)

    page = f"/api/v1/observationer/?indikator={INDICATOR}&omraade=461&antal=100"
    _status, _body, headers = _get(conn, page)
    etag = headers["ETag"]
    urls = {
        "indicator detail": f"/api/v1/indikatorer/{INDICATOR}/",
        "observations, 100": page,
        "same, 304": (page, {"If-None-Match": etag}),
        "/healthz": "/healthz",
    }
    for target in urls.values():
        path, headers = target if isinstance(target, tuple) else (target, None)
        for _ in range(5):
            status, _body, _headers = _get(conn, path, headers)
            assert status in (200, 304), (path, status)
    print(
        f"\n2. {args.clients} clients, {args.workers} gunicorn workers, {args.duration:.0f} s per endpoint, "
        f"{args.rows:,} observations"
    )
    print(
        f"   {'endpoint':<20} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'÷ healthz':>10}"
    )
    results = {}
    for name, target in urls.items():
        path, headers = target if isinstance(target, tuple) else (target, None)
        latencies, elapsed, errors = _drive(pages, port, path, headers, args.clients, args.duration)
        results[name] = (len(latencies), errors, latencies, len(latencies) / elapsed)
    print(f"   load average after: {_load()}")
    floor = results["/healthz"][3]
    for name, (count, errors, latencies, rate) in results.items():
        print(
            f"   {name:<20} {count:>9} {errors:>7} {pages._percentile(latencies, 0.50) * 1000:>8.1f} "
            f"{pages._percentile(latencies, 0.95) * 1000:>8.1f} {rate:>8.1f} {rate / floor:>10.2f}"
        )


def _in_process(path: str) -> None:
    """The same request through Django's test client in this process: wall time and this process's CPU
    time (the web side's work, without PostgreSQL's), which other load on the machine inflates less."""
    from django.test import Client

    client = Client()
    print("   in this process (Django test client), median of 10:")
    for name, extra in (("JSON", ""), ("CSV", "&format=csv")):
        walls, cpus = [], []
        for n in range(12):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"{path}{extra}&nonce=p{time.time_ns()}{n}")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, response.status_code
        print(
            f"   {name:<5} wall {statistics.median(walls[2:]) * 1000:7.1f} ms   "
            f"CPU {statistics.median(cpus[2:]) * 1000:7.1f} ms"
        )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def _drive(pages, port, path, headers, clients, duration):
    """pages._drive with request headers (If-None-Match) and 304 counted as success."""
    import threading

    latencies = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while (began := time.perf_counter()) < stop_at[0]:
            try:
                status, _body, _headers = _get(conn, path, headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                errors[index] += 1
                continue
            latencies[index].append(time.perf_counter() - began)
            if status not in (200, 304):
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + duration
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return [t for own in latencies for t in own], time.perf_counter() - began, sum(errors)


if __name__ == "__main__":
    main()
