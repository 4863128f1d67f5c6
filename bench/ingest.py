"""Benchmark: the indicator importer against PostgreSQL's own COPY and Django's bulk_create (issue #3, item 7).

    python bench/ingest.py --rows 100000 [--rows 1000000] \
        [--database-url postgres://postgres@127.0.0.1:5432/bench_ingest] [--skip-bulk-create-above 200000]

Creates the database if needed, migrates it and loads the reference data (`manage.py bootstrap`), then for
each N generates N rows in the canonical long layout as a Danish desktop writes them (Windows-1252, `;`,
decimal comma, `.` as thousands separator in the respondent count), spread over every catalogue indicator,
every area (by code), the years 1990-2025 and breakdowns of sex x age group x education, all keys unique,
every value valid with a 95 % CI and a respondent count. It then times:

  (a) validation only: `open_table` + `validate_chunks` (the file read and checked chunk by chunk, as the
      upload does, with no database writes);
  (b) the full import as an analyst's upload goes: upload_create -> upload_validate -> upload_confirm ->
      upload_load, into an EMPTY observation table, from the file's bytes to committed rows that every
      page sees. Included: storing the file and its SHA-256, reading, validating, staging (COPY), the
      preview (counts, changed examples, the measures whose status would change), the confirmation, and
      the load transaction up to its commit, plus the ANALYZE after it. NOT included: the recomputation
      of the stored measure statuses, which the load only enqueues on commit (the `observations_changed`
      signal -> goals.tasks.statuses_refresh_for_indicators_task, a job of its own on another worker).
      The bench records that enqueue instead of running it, checks that it happened, and then runs and
      times the task separately ("status refresh task, not in (b)"). It runs in a child process, so its
      peak memory (VmHWM, read before the status refresh runs in the same process) is the importer's own
      and not the generator's;
  (c) PostgreSQL's COPY of the same rows, already converted to plain CSV (dot decimals, integer ids),
      into a bare table with the same columns, an identity primary key and the same unique key
      (indicator_id, area_id, year, sex, age_group, education): the physical limit;
  (d) Django's bulk_create(update_conflicts=True, unique_fields=..., update_fields=...) of the same rows
      as Observation objects (built from already parsed values) into the real, emptied table. Above
      --skip-bulk-create-above rows it runs on that many rows and the rate is extrapolated.

  (e) the floor of any design that validates: open_table + validate_chunks of the same file, each chunk's
      values written by the staging's writer (one binary COPY, fed from a thread), but straight into a fresh table made LIKE the observation table (same
      columns, primary key, unique key and indexes; plus the staged `line` column), in one transaction.
      No file storage, no staging, no preview, no history, no ANALYZE: what an importer that loaded a
      validated file blindly would spend. (d)/(e) is the best ratio against bulk_create that any design
      could reach on this machine.

and prints one summary line per N plus the time of each step of (b). The bench database is left behind
(with the rows of the last bulk_create run); the bare table is dropped.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_ingest"
HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner"
YEARS = range(1990, 2026)
# (as written in the file, as stored)
SEXES = (("Alle", "alle"), ("Mænd", "maend"), ("Kvinder", "kvinder"))
AGE_GROUPS = (
    ("16+", "alle"),
    ("16-24", "16-24"),
    ("25-34", "25-34"),
    ("35-44", "35-44"),
    ("45-54", "45-54"),
    ("55-64", "55-64"),
    ("65-74", "65-74"),
    ("75+", "75+"),
    ("0-29", "0-29"),
)
EDUCATIONS = (
    ("Alle", "alle"),
    ("Grundskole", "Grundskole"),
    ("Erhvervsfaglig uddannelse", "Erhvervsfaglig uddannelse"),
    ("Kort videregående uddannelse", "Kort videregående uddannelse"),
    ("Lang videregående uddannelse", "Lang videregående uddannelse"),
)
BARE_TABLE = "bench_bare_observation"
FLOOR_TABLE = "bench_floor_observation"
BULK_BATCH = 2000  # 14 fields x 2000 rows stays under PostgreSQL's 65535 parameters per statement


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per run (repeatable; default 100000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--skip-bulk-create-above",
        type=int,
        default=200_000,
        help="above this many rows, time bulk_create on this many rows and extrapolate (default 200000)",
    )
    parser.add_argument("--child-import", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_import:
        _setup(args.database_url, bootstrap=False)
        print(json.dumps(_import(Path(args.child_import))))
        return

    _create_database(args.database_url)
    _setup(args.database_url, bootstrap=True)
    summaries = []
    for rows in args.rows or [100_000]:
        summaries.append(_run(rows, args))
    _drop_bare_table()
    print()
    for line in summaries:
        print(line)


# --- setup ----------------------------------------------------------------------------------------------


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _setup(url: str, *, bootstrap: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")
    # Uploaded files go to a scratch directory, not the project's media/.
    os.environ["MEDIA_ROOT"] = str(Path(tempfile.gettempdir()) / "bench_ingest_media")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if bootstrap:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("bootstrap", verbosity=0, stdout=io.StringIO())
        print(f"bootstrap (migrate + reference data): {time.perf_counter() - started:.1f} s", flush=True)


# --- data -----------------------------------------------------------------------------------------------


def _generate(total: int):
    """Return (the Danish cp1252 file bytes, the rows as plain values) for `total` unique rows.

    Row i walks year fastest, then area, indicator and breakdown, so even 100 000 rows cover every
    indicator, area and year. Values are vectorised with numpy; the text is formatted in one pass.
    """
    import numpy as np

    from clusters.models import Area
    from indicators.models import Indicator

    indicators = list(Indicator.objects.order_by("pk").values_list("pk", "code", "unit"))
    areas = list(Area.objects.order_by("pk").values_list("pk", "code"))
    breakdowns = [(s, a, e) for e in EDUCATIONS for s in SEXES for a in AGE_GROUPS]
    years = np.arange(YEARS.start, YEARS.stop)
    capacity = len(years) * len(areas) * len(indicators) * len(breakdowns)
    if total > capacity:
        raise SystemExit(f"at most {capacity} distinct rows fit the catalogue, geography and breakdowns")

    i = np.arange(total, dtype=np.int64)
    year_i = i % len(years)
    rest = i // len(years)
    area_i = rest % len(areas)
    rest //= len(areas)
    indicator_i = rest % len(indicators)
    breakdown_i = rest // len(indicators)

    rng = np.random.default_rng(2024)
    value = np.round(rng.uniform(5, 80, total), 1)
    half = np.round(rng.uniform(0.3, 4.0, total), 1)
    ci_low = np.round(value - half, 1)
    ci_high = np.round(value + half, 1)
    respondents = rng.integers(20, 25_000, total)

    indicator_codes = [code for _, code, _ in indicators]
    area_codes = [code for _, code in areas]
    lines = [HEADER]
    append = lines.append
    for ind, area, year, bd, v, lo, hi, n in zip(
        indicator_i.tolist(),
        area_i.tolist(),
        years[year_i].tolist(),
        breakdown_i.tolist(),
        value.tolist(),
        ci_low.tolist(),
        ci_high.tolist(),
        respondents.tolist(),
        strict=True,
    ):
        sex, age, edu = breakdowns[bd]
        append(
            f"{indicator_codes[ind]};{area_codes[area]};{year};{sex[0]};{age[0]};{edu[0]};"
            f"{_dk(v)};{_dk(lo)};{_dk(hi)};{f'{n:,}'.replace(',', '.')}"
        )
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    del lines

    plain = {
        "indicator_id": np.array([pk for pk, _, _ in indicators])[indicator_i],
        "area_id": np.array([pk for pk, _ in areas])[area_i],
        "year": years[year_i],
        "breakdown": breakdown_i,
        "value": value,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "respondents": respondents,
        "breakdowns": [(s[1], a[1], e[1]) for s, a, e in breakdowns],
    }
    return data, plain


def _dk(number: float) -> str:
    """One decimal, with a decimal comma."""
    return f"{number:.1f}".replace(".", ",")


def _plain_csv(plain) -> bytes:
    """The same rows as PostgreSQL's plain CSV: dot decimals, integer ids, stored labels."""
    breakdowns = plain["breakdowns"]
    out = []
    append = out.append
    for ind, area, year, bd, v, lo, hi, n in zip(
        plain["indicator_id"].tolist(),
        plain["area_id"].tolist(),
        plain["year"].tolist(),
        plain["breakdown"].tolist(),
        plain["value"].tolist(),
        plain["ci_low"].tolist(),
        plain["ci_high"].tolist(),
        plain["respondents"].tolist(),
        strict=True,
    ):
        sex, age, edu = breakdowns[bd]
        append(f"{ind},{area},{year},,{sex},{age},{edu},{v:.1f},{lo:.1f},{hi:.1f},{n},f,f\n")
    return "".join(out).encode("utf-8")


# --- (a) validation -------------------------------------------------------------------------------------


def _validate_only(data: bytes, plain) -> float:
    import numpy as np
    from django.conf import settings

    from indicators.ingest.read import Limits, open_table
    from indicators.ingest.validate import Lookup, validate_chunks

    limits = Limits.from_settings(max_bytes=max(settings.UPLOAD_MAX_BYTES, len(data)))
    labels = [f"{s}|{a}|{e}" for s, a, e in plain["breakdowns"]]
    seen = {"rows": 0, "ok": True}

    def check(frame):
        # Not timed: the importer read back exactly the generated values.
        checking = time.perf_counter()
        start, end = seen["rows"], seen["rows"] + len(frame)
        for column in ("indicator_id", "area_id", "year", "value", "ci_low", "ci_high", "respondents"):
            expected = plain[column][start:end].astype("float64")
            if not np.array_equal(frame[column].to_numpy(dtype="float64"), expected):
                seen["ok"] = False
        got = (frame["sex"] + "|" + frame["age_group"] + "|" + frame["education"]).tolist()
        if got != [labels[b] for b in plain["breakdown"][start:end].tolist()]:
            seen["ok"] = False
        seen["rows"] = end
        seen["checking"] = seen.get("checking", 0.0) + time.perf_counter() - checking

    started = time.perf_counter()
    table = open_table(io.BytesIO(data), "bench.csv", limits=limits)
    validation = validate_chunks(table, Lookup.from_db(), stage=check, restart=lambda: seen.update(rows=0))
    seconds = time.perf_counter() - started - seen.get("checking", 0.0)
    if validation.problems or seen["rows"] != validation.rows:
        raise SystemExit(f"the generated file is not valid: {[p.as_dict() for p in validation.problems[:5]]}")
    if table.encoding != "cp1252" or table.separator != ";":
        raise SystemExit(f"read as {table.encoding!r} with {table.separator!r}, expected cp1252 and ';'")
    if not seen["ok"]:
        raise SystemExit("validated values differ from the generated ones")
    return seconds


# --- (b) the full import (child process) ----------------------------------------------------------------


class _Steps:
    """Wraps functions in place and adds up the seconds spent in each, by step name."""

    def __init__(self):
        self.seconds = {}
        self.peak_mb = {}  # the process's peak RSS when each step first ended: where memory grew
        self.depth = 0

    def wrap(self, owner, attribute: str, step: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args, **kwargs):
            # Only the outermost timed call counts, so nested steps are not counted twice.
            self.depth += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - started
                self.peak_mb.setdefault(step, _peak_mb())

        setattr(owner, attribute, timed)


def _checkpoint() -> None:
    """Write out what earlier steps left in the WAL before a step is timed, so that no step pays for a
    checkpoint another one caused (a million-row step writes several hundred MB of WAL, and PostgreSQL
    checkpoints every 1 GB by default). Needs a superuser or pg_checkpoint; without, steps run as they are."""
    from django.db import ProgrammingError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except ProgrammingError:  # insufficient privilege
        pass


def _peak_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries the parent's peak over into a child's
    ru_maxrss across the fork and exec of subprocess, so the child reported the generator's gigabytes."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(path: Path) -> dict:
    """Run in the child: empty the observations, then upload, validate, confirm and load `path`."""
    from django.core.files import File
    from django.db import connection

    import goals.tasks
    from indicators.ingest import load
    from indicators.models import Observation, Upload
    from indicators.services import uploads

    steps = _Steps()
    steps.wrap(uploads, "open_table", "validate: open_table (scan)")
    steps.wrap(uploads.Lookup, "from_db", "validate: Lookup.from_db")
    steps.wrap(uploads, "validate_chunks", "validate: read + validate + stage, chunk by chunk")
    for name in (
        "counts",
        "changed_examples",
        "status_changes",
        "same_file_upload_id",
        "large_change_warnings",
    ):
        steps.wrap(load, name, f"preview: {name}")
    steps.wrap(load, "analyze", "analyze (staging / after load)")
    steps.wrap(load, "upsert", "load: upsert (changed CTE + new-key insert)")
    steps.wrap(load, "lock_references", "load: lock_references")
    steps.wrap(load, "staged_totals", "load: staged_totals")
    steps.wrap(uploads, "staged_delete", "staged_delete")
    # The status refresh is its own Celery task, enqueued when the load commits. Without REDIS_URL it
    # would run eagerly inside upload_load; record the enqueue instead, as a broker would take it.
    enqueued = []
    task = goals.tasks.statuses_refresh_for_indicators_task
    task.delay = lambda indicator_ids: enqueued.append(indicator_ids)

    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")

    phases = {}
    _checkpoint()
    started = time.perf_counter()
    with path.open("rb") as handle:
        upload = uploads.upload_create(file=File(handle, name=path.name), enqueue=False)
    phases["upload_create"] = time.perf_counter() - started
    mark = time.perf_counter()
    uploads.upload_validate(upload_id=upload.pk)
    phases["upload_validate"] = time.perf_counter() - mark
    status = Upload.objects.values_list("status", flat=True).get(pk=upload.pk)
    if status != Upload.Status.AWAITING_CONFIRMATION:
        upload = Upload.objects.get(pk=upload.pk)
        raise SystemExit(f"upload {upload.pk} is {status}: {upload.problems[:5]}")
    mark = time.perf_counter()
    uploads.upload_confirm(upload_id=upload.pk, enqueue=False)
    phases["upload_confirm"] = time.perf_counter() - mark
    mark = time.perf_counter()
    uploads.upload_load(upload_id=upload.pk)
    phases["upload_load"] = time.perf_counter() - mark
    seconds = time.perf_counter() - started
    if not enqueued:
        raise SystemExit("the load did not enqueue the status refresh")
    # The importer's peak, before the status refresh (its own Celery task) runs in this process too.
    import_peak_mb = _peak_mb()
    mark = time.perf_counter()
    for indicator_ids in enqueued:
        task.run(indicator_ids)
    refresh_seconds = time.perf_counter() - mark

    upload = Upload.objects.get(pk=upload.pk)
    return {
        "seconds": seconds,
        "refresh_seconds": refresh_seconds,
        "phases": phases,
        "steps": steps.seconds,
        "peak_mb_after_step": steps.peak_mb,
        "status": upload.status,
        "new": upload.new,
        "stored": Observation.objects.count(),
        "peak_rss_mb": import_peak_mb,
        "peak_rss_with_refresh_mb": _peak_mb(),
    }


def _import_in_child(data: bytes, database_url: str) -> dict:
    from django.conf import settings

    # A 5,000,000-row file is larger than the default UPLOAD_MAX_BYTES (300 MB): the bench allows it.
    env = {**os.environ, "UPLOAD_MAX_BYTES": str(max(settings.UPLOAD_MAX_BYTES, len(data)))}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench_ingest.csv"
        path.write_bytes(data)
        done = subprocess.run(
            [sys.executable, __file__, "--child-import", str(path), "--database-url", database_url],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
    if done.returncode:
        raise SystemExit(f"the import failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- (c) bare COPY --------------------------------------------------------------------------------------


def _bare_copy(csv: bytes, rows: int) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(
            f"""
            CREATE TABLE {BARE_TABLE} (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                indicator_id bigint NOT NULL,
                area_id bigint NOT NULL,
                year smallint NOT NULL,
                period_label varchar(20) NOT NULL,
                sex varchar(10) NOT NULL,
                age_group varchar(10) NOT NULL,
                education varchar(100) NOT NULL,
                value double precision,
                ci_low double precision,
                ci_high double precision,
                respondents integer,
                suppressed boolean NOT NULL,
                is_sample boolean NOT NULL,
                upload_id bigint,
                UNIQUE (indicator_id, area_id, year, sex, age_group, education)
            )
            """
        )
    columns = (
        "indicator_id, area_id, year, period_label, sex, age_group, education, value, ci_low, ci_high, "
        "respondents, suppressed, is_sample"
    )
    chunk = 8 << 20
    _checkpoint()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # FORCE_NOT_NULL: an empty unquoted period label is "" (as the real rows have), not NULL.
        sql = f"COPY {BARE_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (period_label))"
        with cursor.cursor.copy(sql) as copy:
            for start in range(0, len(csv), chunk):
                copy.write(csv[start : start + chunk])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {BARE_TABLE}")
        (count,) = cursor.fetchone()
    if count != rows:
        raise SystemExit(f"bare COPY stored {count} rows, expected {rows}")
    return seconds


def _drop_bare_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


# --- (e) the floor: validate + COPY straight into an observation-shaped table -----------------------------


def _floor(data: bytes, rows: int) -> float:
    from django.conf import settings
    from django.db import connection, transaction

    from indicators.ingest.read import Limits, open_table
    from indicators.ingest.stage import StagedWriter
    from indicators.ingest.validate import Lookup, validate_chunks
    from indicators.models import Observation

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} (LIKE {connection.ops.quote_name(Observation._meta.db_table)} "
            "INCLUDING ALL)"
        )
        # The staged row layout: a line number, and a bigint respondent count.
        cursor.execute(
            f"ALTER TABLE {FLOOR_TABLE} ADD COLUMN line integer, ALTER respondents TYPE bigint, "
            "ALTER is_sample SET DEFAULT FALSE"
        )
    limits = Limits.from_settings(max_bytes=max(settings.UPLOAD_MAX_BYTES, len(data)))

    _checkpoint()
    started = time.perf_counter()
    with transaction.atomic(), StagedWriter(1, table=FLOOR_TABLE) as writer:
        table = open_table(io.BytesIO(data), "bench.csv", limits=limits)
        validation = validate_chunks(table, Lookup.from_db(), stage=writer.add, restart=lambda: None)
    seconds = time.perf_counter() - started
    if validation.problems:
        raise SystemExit("the floor's file is not valid")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FLOOR_TABLE}")
        (count,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    if count != rows:
        raise SystemExit(f"the floor COPY stored {count} rows, expected {rows}")
    return seconds


# --- (d) bulk_create ------------------------------------------------------------------------------------


def _bulk_create(plain, rows: int) -> float:
    from django.db import connection

    from indicators.models import Observation

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(Observation._meta.db_table)}")
    breakdowns = plain["breakdowns"]
    columns = [plain[c][:rows].tolist() for c in ("indicator_id", "area_id", "year", "breakdown")]
    numbers = [plain[c][:rows].tolist() for c in ("value", "ci_low", "ci_high", "respondents")]
    _checkpoint()
    started = time.perf_counter()
    objects = []
    for (ind, area, year, bd), (v, lo, hi, n) in zip(
        zip(*columns, strict=True), zip(*numbers, strict=True), strict=True
    ):
        sex, age, edu = breakdowns[bd]
        objects.append(
            Observation(
                indicator_id=ind,
                area_id=area,
                year=year,
                period_label="",
                sex=sex,
                age_group=age,
                education=edu,
                value=v,
                ci_low=lo,
                ci_high=hi,
                respondents=n,
                suppressed=False,
                is_sample=False,
            )
        )
    Observation.objects.bulk_create(
        objects,
        batch_size=BULK_BATCH,
        update_conflicts=True,
        unique_fields=["indicator", "area", "year", "sex", "age_group", "education"],
        update_fields=[
            "period_label",
            "value",
            "ci_low",
            "ci_high",
            "respondents",
            "suppressed",
            "is_sample",
        ],
    )
    seconds = time.perf_counter() - started
    stored = Observation.objects.count()
    if stored != rows:
        raise SystemExit(f"bulk_create stored {stored} rows, expected {rows}")
    return seconds


# --- one run --------------------------------------------------------------------------------------------


def _run(rows: int, args) -> str:
    print(f"\n=== {rows} rows ===", flush=True)
    started = time.perf_counter()
    data, plain = _generate(rows)
    csv = _plain_csv(plain)
    print(
        f"generated {len(data) / 1e6:.1f} MB cp1252 file and {len(csv) / 1e6:.1f} MB plain CSV "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    validate_s = _validate_only(data, plain)
    print(
        f"(a) validate (open_table + validate_chunks): {validate_s:.2f} s = {rows / validate_s:,.0f} rows/s",
        flush=True,
    )

    result = _import_in_child(data, args.database_url)
    if result["status"] != "loaded" or result["stored"] != rows or result["new"] != rows:
        raise SystemExit(f"the import did not load every row: {result}")
    import_s = result["seconds"]
    print(
        f"(b) full import (upload_create -> validate -> confirm -> load): {import_s:.2f} s = "
        f"{rows / import_s:,.0f} rows/s, peak RSS of the importing process {result['peak_rss_mb']:.0f} MB",
        flush=True,
    )
    for name, seconds in result["phases"].items():
        print(f"      {name:<40} {seconds:7.2f} s  {100 * seconds / import_s:5.1f} %")
    print("    of which:")
    accounted = 0.0
    for name, seconds in sorted(result["steps"].items(), key=lambda item: -item[1]):
        accounted += seconds
        print(f"      {name:<40} {seconds:7.2f} s  {100 * seconds / import_s:5.1f} %")
    rest = import_s - accounted
    print(
        f"      {'other (file save, sha256, claims, ...)':<40} {rest:7.2f} s  {100 * rest / import_s:5.1f} %"
    )
    print(
        f"    status refresh task, not in (b): {result['refresh_seconds']:.2f} s; peak RSS of the process "
        f"after it too {result['peak_rss_with_refresh_mb']:.0f} MB",
        flush=True,
    )

    copy_s = _bare_copy(csv, rows)
    del csv
    print(
        f"(c) bare COPY (plain CSV, PK + unique key): {copy_s:.2f} s = {rows / copy_s:,.0f} rows/s",
        flush=True,
    )

    floor_s = _floor(data, rows)
    print(
        f"(e) floor (read + validate + binary COPY into an observation-shaped table): {floor_s:.2f} s = "
        f"{rows / floor_s:,.0f} rows/s",
        flush=True,
    )

    bulk_rows = min(rows, args.skip_bulk_create_above)
    bulk_s = _bulk_create(plain, bulk_rows)
    bulk_rate = bulk_rows / bulk_s
    extrapolated = bulk_rows < rows
    note = f" (ran on {bulk_rows} rows; rate extrapolated to {rows})" if extrapolated else ""
    print(
        f"(d) bulk_create(update_conflicts=True): {bulk_s:.2f} s = {bulk_rate:,.0f} rows/s{note}", flush=True
    )
    bulk_total = rows / bulk_rate

    line = (
        f"rows={rows} validate={rows / validate_s:.0f} rows/s import={rows / import_s:.0f} rows/s "
        f"copy={rows / copy_s:.0f} rows/s bulk_create={bulk_rate:.0f} rows/s "
        f"import/copy={import_s / copy_s:.1f} bulk_create/import={bulk_total / import_s:.1f} "
        f"floor={rows / floor_s:.0f} rows/s bulk_create/floor={bulk_total / floor_s:.1f} "
        f"peak_rss_mb={result['peak_rss_mb']:.0f}"
    )
    if extrapolated:
        line += f" (bulk_create measured on {bulk_rows} rows, extrapolated)"
    print(line, flush=True)
    return line


if __name__ == "__main__":
    main()
