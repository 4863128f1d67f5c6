"""Benchmark: recompute every stored status over millions of observations on PostgreSQL.

    python bench/status.py --rows 3000000 [--database-url postgres://postgres@127.0.0.1:5432/bench_status]

Creates the database if needed, migrates it and loads the reference data (`manage.py bootstrap`), bulk
loads N synthetic observations with COPY (every catalogue indicator, area, year 2010-2025 and breakdown of
sex x age group x education, in that order of priority), then times `measure_statuses_refresh()`. The
observations are kept between runs when their count already matches; pass --reload to regenerate.
The issue's target: under 10 s for 3 million observations.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_status"
YEARS = range(2010, 2026)
SEXES = ("alle", "maend", "kvinder")
AGE_GROUPS = ("alle", "16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "0-29")
EDUCATIONS = ("alle", "Grundskole", "Erhvervsfaglig uddannelse", "Lang videregående uddannelse")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000, help="observations to load (default 3000000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reload", action="store_true", help="regenerate the observations even if present")
    parser.add_argument("--repeat", type=int, default=3, help="timed refreshes (default 3)")
    args = parser.parse_args()

    _create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from goals.models import MeasureStatus
    from goals.services import measure_statuses_refresh

    count, _loaded = observations_ready(args.rows, reload=args.reload)

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        rows = measure_statuses_refresh()
        timings.append(time.perf_counter() - started)
    stored = MeasureStatus.objects.count()
    print(
        f"observations={count} status_rows={rows} stored={stored} "
        f"refresh_seconds={' '.join(f'{t:.2f}' for t in timings)} best={min(timings):.2f}"
    )


def observations_ready(rows: int, *, reload: bool) -> tuple[int, bool]:
    """Load the reference data (`manage.py bootstrap`), then N synthetic observations unless that many are
    stored already (loading millions takes minutes). Returns (observations stored, whether they were loaded
    now). bench/pages.py and bench/api.py prepare their databases with it too."""
    from django.core.management import call_command

    from indicators.models import Observation

    started = time.perf_counter()
    call_command("bootstrap", verbosity=0)
    print(f"bootstrap: {time.perf_counter() - started:.1f} s")
    count = Observation.objects.count()
    if not reload and count == rows:
        print(f"reusing {count} observations")
        return count, False
    started = time.perf_counter()
    _load_observations(rows)
    count = Observation.objects.count()
    print(f"loaded {count} observations with COPY in {time.perf_counter() - started:.1f} s")
    return count, True


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _load_observations(total: int) -> None:
    """Breakdown-major order, so the breakdowns that measures follow (education 'alle' first) are complete."""
    from django.db import connection

    from clusters.models import Area
    from indicators.models import Indicator, Observation

    indicators = list(Indicator.objects.values_list("pk", "polarity").order_by("pk"))
    areas = list(Area.objects.values_list("pk", flat=True).order_by("pk"))
    breakdowns = [(s, a, e) for e in EDUCATIONS for s in SEXES for a in AGE_GROUPS]
    capacity = len(breakdowns) * len(indicators) * len(areas) * len(YEARS)
    if total > capacity:
        raise SystemExit(f"at most {capacity} distinct observations fit the catalogue and geography")

    rng = random.Random(2024)
    level = {pk: rng.uniform(8, 80) for pk, _ in indicators}
    offset = {pk: rng.gauss(0, 2) for pk in areas}
    # A trend per indicator and area: some improve, some worsen, some stand still.
    trend = {(i, a): rng.gauss(0, 0.25) for i, _ in indicators for a in areas}
    columns = (
        "indicator_id, area_id, year, period_label, sex, age_group, education, value, ci_low, ci_high, "
        "respondents, suppressed, is_sample"
    )
    table = Observation._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            lines = []
            for sex, age_group, education in breakdowns:
                shift = rng.gauss(0, 3)
                for indicator_id, _ in indicators:
                    base = level[indicator_id] + shift
                    for area_id in areas:
                        start = base + offset[area_id]
                        slope = trend[indicator_id, area_id]
                        for year in YEARS:
                            if written == total:
                                break
                            value = max(1.0, start + slope * (year - 2010) + rng.gauss(0, 0.3))
                            half = 0.3 + 0.02 * value
                            lines.append(
                                f"{indicator_id}\t{area_id}\t{year}\t\t{sex}\t{age_group}\t{education}\t"
                                f"{value:.2f}\t{value - half:.2f}\t{value + half:.2f}\t1000\tf\tt\n"
                            )
                            written += 1
                        if len(lines) >= 100_000:
                            copy.write("".join(lines))
                            lines.clear()
            copy.write("".join(lines))
        cursor.execute(f"ANALYZE {table}")


if __name__ == "__main__":
    main()
