"""Benchmark: how fast the dashboard's pages answer with 3 million observations (issue #5).

    python bench/pages.py [--rows 3000000] [--duration 15] [--clients 8] [--workers 2] \
        [--database-url postgres://postgres@127.0.0.1:5432/pages_bench] [--reload]

Creates the database if needed, migrates it and loads the reference data (`manage.py bootstrap`), loads
N synthetic observations with COPY the way `bench/status.py` does (kept between runs when the count
matches) and computes the stored statuses. Then it collects the static files (hashed and gzipped, as the
Docker image serves them) into a temporary folder, starts gunicorn with `--workers` sync workers on a free
port against that database, warms each page up and drives it with `--clients` concurrent clients (threads,
each with its own HTTP/1.1 connection, reopened when a sync worker closes it) for `--duration` seconds:

  - the agreement overview of syddanmark-2024-2027 for the region and for a cluster;
  - a measure page (daily smoking, the region);
  - /healthz, the framework's floor: one `SELECT 1` through the same middleware.

It prints p50/p95 latency, requests/second and the share of /healthz's throughput for each (after the
warm-up the pages come from the page cache, goals/selectors/page_cache.py), each page's time just after a
data change (a cache miss: computed and rendered), and the bytes a browser transfers on the first load of
the measure page (the HTML, every CSS/JS file it references and the map's boundaries, requested with
`Accept-Encoding: gzip`). The issue's targets: overview and measure page p95 under 150 ms and at least a
third of /healthz's throughput; the first load under 1.5 MB including plotly.js.
"""

import argparse
import http.client
import importlib.util
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pages_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"
AGREEMENT = "syddanmark-2024-2027"
YEAR = 2025


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000, help="observations to load (default 3000000)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--reload", action="store_true", help="regenerate the observations even if present")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per page (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "STATIC_MANIFEST": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    urls = _prepare_database(args)

    with tempfile.TemporaryDirectory(prefix="pages_bench_") as tmp:
        # The project's settings with STATIC_ROOT in the temporary folder, so the checkout is left alone.
        Path(tmp, "pages_bench_settings.py").write_text(
            f"from sundhedsaftale.settings import *  # noqa: F403\nSTATIC_ROOT = {str(Path(tmp, 'static'))!r}\n"
        )
        env["DJANGO_SETTINGS_MODULE"] = "pages_bench_settings"
        env["PYTHONPATH"] = os.pathsep.join([tmp, str(ROOT)])
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = _free_port()
        server = _start_gunicorn(port, args.workers, env)
        try:
            _wait_until_up(port)
            _run(port, urls, args)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def _prepare_database(args) -> dict[str, str]:
    """Bootstrap, observations and statuses; returns the pages to drive (name -> path)."""
    _create_database(args.database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from clusters.models import Area
    from goals.models import Agreement, Measure, MeasureStatus
    from goals.services import measure_statuses_refresh

    _count, loaded = _status_bench().observations_ready(args.rows, reload=args.reload)
    # A load makes every stored status stale; without one, only a database with none needs computing.
    if loaded or not MeasureStatus.objects.exists():
        started = time.perf_counter()
        rows = measure_statuses_refresh()
        print(f"statuses: {rows} rows in {time.perf_counter() - started:.1f} s")

    agreement = Agreement.objects.select_related("area").get(slug=AGREEMENT)
    cluster = Area.objects.filter(parent=agreement.area, kind=Area.Kind.CLUSTER).order_by("code").first()
    measure = (
        Measure.objects.filter(objective__vision__agreement=agreement, kind=Measure.Kind.INDICATOR)
        .order_by("objective__vision__order", "objective__order", "order")
        .first()
    )
    overview = f"/aftaler/{AGREEMENT}/"
    from django import db

    db.connections.close_all()
    return {
        "overview (region)": f"{overview}?omraade={agreement.area.code}&aar={YEAR}",
        "overview (cluster)": f"{overview}?omraade={cluster.code}&aar={YEAR}",
        "measure page": f"/opfoelgning/{measure.pk}/?omraade={agreement.area.code}&aar={YEAR}",
        "/healthz": "/healthz",
    }


def _start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn serving the project on 127.0.0.1:`port`, in a session of its own so that os.killpg stops
    it with its workers."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "sundhedsaftale.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _status_bench():
    spec = importlib.util.spec_from_file_location("bench_status", ROOT / "bench" / "status.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _create_database(url: str) -> None:
    _status_bench()._create_database(url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = _get(
                http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/healthz"
            )
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def _get(conn: http.client.HTTPConnection, path: str, headers=None) -> tuple[int, bytes, dict]:
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return response.status, body, dict(response.getheaders())


def _drive(port: int, path: str, clients: int, duration: float) -> tuple[list[float], float, int]:
    """`clients` threads requesting `path` until `duration` has passed: (latencies in s, elapsed, errors)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        own = latencies[index]
        while True:
            began = time.perf_counter()
            if began >= stop_at[0]:
                break
            try:
                status, _body, _headers = _get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                errors[index] += 1
                continue
            own.append(time.perf_counter() - began)
            if status != 200:
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


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _transfer_size(port: int, path: str) -> list[tuple[str, int, int]]:
    """(path, bytes transferred, bytes uncompressed) for the page and every stylesheet and script it loads."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    gzip = {"Accept-Encoding": "gzip"}
    status, body, _headers = _get(conn, path, gzip)
    assert status == 200, (path, status)
    html = body.decode()
    found = [(path, len(body), len(body))]
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', html)
    assets += re.findall(r'<link[^>]+rel="icon"[^>]+href="([^"]+)"', html)
    # The map's boundaries, which plotly.js fetches from the URL the figure names.
    assets += re.findall(r'"geojson":"(/[^"]+)"', html)
    for asset in dict.fromkeys(assets):
        status, body, headers = _get(conn, asset, gzip)
        assert status == 200, (asset, status)
        _status, plain, _headers = _get(conn, asset)
        found.append((asset, len(body), len(plain)))
    return found


def _run(port: int, urls: dict[str, str], args) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for name, path in urls.items():
        for _ in range(10):
            status, body, _headers = _get(conn, path)
            if status != 200:
                raise SystemExit(f"{name} {path}: HTTP {status}")
        print(f"{name}: {path} ({len(body):,} bytes of HTML)")
    # Warm every worker on every page before timing.
    for path in urls.values():
        _drive(port, path, args.clients, 2)

    print(
        f"\n{args.clients} clients, {args.workers} gunicorn workers, {args.duration:.0f} s per page, "
        f"{args.rows:,} observations"
    )
    print(
        f"{'page':<20} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'÷ healthz':>10}"
    )
    results = {}
    for name, path in urls.items():
        latencies, elapsed, errors = _drive(port, path, args.clients, args.duration)
        results[name] = (len(latencies), errors, latencies, len(latencies) / elapsed)
    floor = results["/healthz"][3]
    for name, (count, errors, latencies, rate) in results.items():
        print(
            f"{name:<20} {count:>9} {errors:>7} {_percentile(latencies, 0.50) * 1000:>8.1f} "
            f"{_percentile(latencies, 0.95) * 1000:>8.1f} {rate:>8.1f} {rate / floor:>10.2f}"
        )

    # The same pages just after their data changed: the first request renders them and fills the cache.
    from goals.selectors.page_cache import _token_replace

    print("\njust after a data change (the page cache's version replaced; median of 5, one client):")
    for name, path in urls.items():
        if name == "/healthz":
            continue
        timings = []
        for _ in range(5):
            _token_replace()
            began = time.perf_counter()
            status, _body, _headers = _get(conn, path)
            timings.append(time.perf_counter() - began)
            assert status == 200, (path, status)
        print(f"  {name:<20} {statistics.median(timings) * 1000:>8.1f} ms")

    print("\nfirst load of the measure page (Accept-Encoding: gzip):")
    files = _transfer_size(port, urls["measure page"])
    for path, sent, plain in files:
        print(f"  {sent:>10,} B  ({plain:>10,} B uncompressed)  {path.split('?')[0]}")
    total = sum(sent for _path, sent, _plain in files)
    print(f"  {total:>10,} B  total = {total / 1_000_000:.2f} MB (target < 1.5 MB)")


if __name__ == "__main__":
    main()
