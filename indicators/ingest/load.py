"""Preview, load and rollback as set-based SQL between the staging table and `Observation`.

Every statement works on all of an upload's rows at once, joined on the observation's unique key
(indicator, area, year, sex, age group, education), so a million rows cost a handful of statements.
The SQL is the same on PostgreSQL and SQLite (>= 3.24 for upserts) except for the null-safe comparison
and the load itself, which on PostgreSQL is a data-modifying CTE for the changed keys and an anti-join
insert for the new ones (`_upsert_postgresql`).

The functions here run in the caller's transaction and know nothing about an upload's status; the
services in `indicators/services/uploads.py` decide when they run.
"""

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from clusters.models import Area

from .. import fileformat, hooks
from ..fileformat import format_number
from ..hooks import StatusChange
from ..models import ALL, Indicator, Observation, ObservationHistory, StagedObservation, Upload

KEY = ("indicator_id", "area_id", "year", "sex", "age_group", "education")
CONTENT = ("period_label", "value", "ci_low", "ci_high", "respondents", "suppressed")
CHANGED_EXAMPLES = 50
CHANGE_WARNINGS = 50
# PostgreSQL advisory lock key serialising loads and rollbacks: each reads the values it replaces and
# then writes, and two at once could each record values the other is about to overwrite.
LOCK_KEY = 0x5_0AD_0B5
# Test hook, see tests/indicators/test_real_worker.py: seconds to sleep after the upsert and before the
# commit, so a test can kill the worker in the middle of a load. Read only when set; never set it in
# production.
SLEEP_AFTER_UPSERT_ENV = "INGEST_TEST_SLEEP_AFTER_UPSERT"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> dict[str, str]:
    return {
        "obs": _q(Observation._meta.db_table),
        "staged": _q(StagedObservation._meta.db_table),
        "history": _q(ObservationHistory._meta.db_table),
        "upload": _q(Upload._meta.db_table),
    }


def _distinct(left: str, right: str) -> str:
    """Null-safe "differs": NULL vs NULL is equal, NULL vs a value differs."""
    operator = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"{left} {operator} {right}"


def _differs(old: str, new: str) -> str:
    return "(" + " OR ".join(_distinct(f"{old}.{c}", f"{new}.{c}") for c in CONTENT) + ")"


def _join_on(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in KEY)


def _fetchall(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _execute(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# Per-transaction PostgreSQL settings for the set-based statements below. The default work_mem (4 MB)
# sends a million-row hash join or anti-join to disk in batches, several times slower; JIT compiling
# costs more than it saves on statements this simple.
# Deliberately not `synchronous_commit = off`: a load is one transaction, whose WAL is written (and, segment
# by segment, flushed) while it runs, so the commit waits for one last flush of a few milliseconds
# (measured: 5-8 ms after a million rows, 1 ms without). Saving that would let the upload show
# "indlæst" for values a database crash in the next moment could still lose. `maintenance_work_mem`
# would not help either: the load builds no index and runs no VACUUM. `cursor_tuple_fraction`: a
# server-side cursor (observations_after) is otherwise planned for reading its first tenth fast, which
# picked an index scan in indicator order over the whole table instead of a scan and a sort: 2.8 s instead
# of 0.5 s for the 300,000 rows the statuses of a million stored observations read.
BULK_SETTINGS = {"work_mem": "256MB", "jit": "off", "cursor_tuple_fraction": "1"}


def bulk_settings() -> None:
    """Apply BULK_SETTINGS until the current transaction ends (PostgreSQL; nothing elsewhere)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, value in BULK_SETTINGS.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def lock() -> None:
    """Serialise loads and rollbacks until the transaction ends (SQLite serialises writers anyway)."""
    if connection.vendor == "postgresql":
        _execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


class MissingReference(Exception):
    """An indicator or area the validation resolved has been deleted since: the upload cannot be loaded."""


def lock_references(upload_id: int) -> set[int]:
    """Check that every indicator and area the staged rows point at exists, and lock them against
    deletion until the transaction ends: what database foreign keys would do per row (see
    Observation.indicator), done once per distinct id. Returns the indicator ids."""
    t = _tables()
    pairs = _fetchall(
        f"SELECT DISTINCT indicator_id, area_id FROM {t['staged']} WHERE upload_id = %s", [upload_id]
    )
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    indicator_ids = {pair[0] for pair in pairs}
    for model, wanted in ((Indicator, indicator_ids), (Area, {pair[1] for pair in pairs})):
        if not wanted:
            continue
        table = _q(model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(wanted))
        found = {
            row[0]
            for row in _fetchall(f"SELECT id FROM {table} WHERE id IN ({placeholders}){lock}", list(wanted))
        }
        if missing := wanted - found:
            raise MissingReference(
                _("%(what)s med id %(ids)s findes ikke længere; upload filen igen.")
                % {
                    "what": _("Indikatoren") if model is Indicator else _("Området"),
                    "ids": ", ".join(map(str, sorted(missing))),
                }
            )
    return indicator_ids


def staged_totals(upload_id: int) -> tuple[int, int]:
    """(staged rows, of which suppressed) of an upload: one scan, no join."""
    t = _tables()
    ((staged, suppressed),) = _fetchall(
        f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN suppressed THEN 1 ELSE 0 END), 0) FROM {t['staged']} "
        "WHERE upload_id = %s",
        [upload_id],
    )
    return staged, suppressed


def analyze(*tables: str) -> None:
    """Refresh PostgreSQL's statistics after a bulk write, so the joins that follow are planned for a
    million rows rather than for the empty table autovacuum last saw."""
    if connection.vendor == "postgresql":
        t = _tables()
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {t[table]}")


# --- Preview --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    staged: int
    new: int
    changed: int
    unchanged: int
    suppressed: int
    replaces_sample: int
    # Stored official values the upload moves by more than a third (each one a warning).
    large_changes: int = 0


# The "changes a stored value by more than a third" rule, on staged row `s` and stored row `o`.
LARGE_CHANGE = "s.value IS NOT NULL AND o.value IS NOT NULL AND NOT o.is_sample AND ABS(s.value - o.value) * 3 > ABS(o.value)"


def counts(upload_id: int) -> Counts:
    """How the staged rows compare with the stored ones: new keys, changed content, unchanged content.

    Sample data ("eksempeldata") with exactly the same content counts as unchanged: nothing a reader sees
    would change.
    """
    t = _tables()
    ((staged, new, changed, suppressed, replaces_sample, large_changes),) = _fetchall(
        f"""
        SELECT COUNT(*),
               COALESCE(SUM(CASE WHEN o.id IS NULL THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN o.id IS NOT NULL AND {_differs("o", "s")} THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN s.suppressed THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN o.is_sample AND {_differs("o", "s")} THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN {LARGE_CHANGE} THEN 1 ELSE 0 END), 0)
        FROM {t["staged"]} s LEFT JOIN {t["obs"]} o ON {_join_on("o", "s")}
        WHERE s.upload_id = %s
        """,
        [upload_id],
    )
    return Counts(
        staged=staged,
        new=new,
        changed=changed,
        unchanged=staged - new - changed,
        suppressed=suppressed,
        replaces_sample=replaces_sample,
        large_changes=large_changes,
    )


def changed_examples(upload_id: int, limit: int = CHANGED_EXAMPLES) -> list[dict]:
    """The first changed values in file order, old -> new, ready for the preview page."""
    t = _tables()
    rows = _fetchall(
        f"""
        SELECT s.line, s.indicator_id, s.area_id, s.year, s.period_label, s.sex, s.age_group, s.education,
               o.value, s.value, o.ci_low, o.ci_high, s.ci_low, s.ci_high, o.respondents, s.respondents
        FROM {t["staged"]} s JOIN {t["obs"]} o ON {_join_on("o", "s")}
        WHERE s.upload_id = %s AND {_differs("o", "s")}
        ORDER BY s.line
        LIMIT %s
        """,
        [upload_id, limit],
    )
    indicators = _indicator_labels({row[1] for row in rows})
    areas = _area_labels({row[2] for row in rows})
    examples = []
    for line, indicator_id, area_id, year, period, sex, age, education, *values in rows:
        old, new, old_low, old_high, new_low, new_high, old_n, new_n = values
        examples.append(
            {
                "line": line,
                "indicator": indicators[indicator_id][1],
                "indicator_code": indicators[indicator_id][0],
                "area": areas[area_id][1],
                "area_code": areas[area_id][0],
                "year": year,
                "period": period or str(year),
                "breakdown": breakdown_label(sex, age, education),
                "old": old,
                "new": new,
                "old_ci": [old_low, old_high] if old_low is not None else None,
                "new_ci": [new_low, new_high] if new_low is not None else None,
                "old_respondents": old_n,
                "new_respondents": new_n,
            }
        )
    return examples


def large_change_warnings(upload_id: int, total: int, limit: int = CHANGE_WARNINGS) -> list[dict]:
    """Warnings (Problem.as_dict shape) for the first of the `total` values (see Counts.large_changes)
    that move a stored official value by more than a third. Replacing sample data is expected to move
    values anywhere and is not warned about."""
    if not total:
        return []
    t = _tables()
    rows = _fetchall(
        f"""
        SELECT s.line, s.value, o.value FROM {t["staged"]} s JOIN {t["obs"]} o ON {_join_on("o", "s")}
        WHERE s.upload_id = %s AND {LARGE_CHANGE}
        ORDER BY s.line LIMIT %s
        """,
        [upload_id, limit],
    )
    warnings = [
        {
            "line": line,
            "column": "andel",
            "value": format_number(new),
            "message": _(
                "Værdien ændrer den gemte værdi %(old)s med mere end en tredjedel. Kontrollér, at det er "
                "den rigtige fil, det rigtige år og den rigtige enhed."
            )
            % {"old": format_number(old)},
        }
        for line, new, old in rows
    ]
    if total > limit:
        warnings.append(
            {
                "line": None,
                "column": "andel",
                "value": None,
                "message": _("Yderligere %(count)s værdier ændrer en gemt værdi med mere end en tredjedel.")
                % {"count": total - limit},
            }
        )
    return warnings


def staged_indicator_ids(upload_id: int) -> set[int]:
    t = _tables()
    return {
        row[0]
        for row in _fetchall(
            f"SELECT DISTINCT indicator_id FROM {t['staged']} WHERE upload_id = %s", [upload_id]
        )
    }


def same_file_upload_id(upload: Upload) -> int | None:
    """The latest earlier upload of byte-identical content that was loaded (and not rolled back)."""
    return (
        Upload.objects.filter(sha256=upload.sha256, status=Upload.Status.LOADED)
        .exclude(pk=upload.pk)
        .order_by("-loaded_at")
        .values_list("pk", flat=True)
        .first()
    )


def status_changes(upload_id: int) -> list[StatusChange]:
    """Every stored status (measure, area, breakdown, data year) the upload would change, old -> new.

    goals answers (indicators/hooks.py): it computes the statuses of every measure of the upload's
    indicators, as the real load's refresh will, from `observations_after` (the stored values with the
    upload's in their place), and compares them with the stored ones. Nothing is written. Nothing to
    compare when the load would write nothing (it then sets off no refresh either).
    """
    indicator_ids = staged_indicator_ids(upload_id)
    if not indicator_ids:
        return []

    def read_after(patterns, area_ids) -> Iterator[tuple]:
        return observations_after(upload_id, patterns=patterns, area_ids=area_ids)

    return hooks.registry.status_changes(indicator_ids=indicator_ids, read_after=read_after)


def observations_after(upload_id: int, *, patterns, area_ids) -> Iterator[tuple]:
    """The observations with a value as they will be once the upload is loaded, limited to the
    (indicator, sex, age group, education) `patterns` and the `area_ids`: the upload's staged rows, and the
    stored rows whose key the upload does not have. That is what `upsert` leaves behind (it gives a staged
    key the staged content, suppressed or not, and adds new keys), read instead of written, so the preview
    costs one read and no trial load. Rows as hooks.OBSERVATION_ROW, ordered by indicator; read from a
    server-side cursor in batches, so memory holds one batch and not the selection."""
    if not patterns or not area_ids:
        return
    t = _tables()
    staged_match, staged_params = _pattern_filter(patterns, alias="s")
    stored_match, stored_params = _pattern_filter(patterns, alias="o")
    areas = ", ".join(["%s"] * len(area_ids))
    sql = f"""
        SELECT {", ".join(f"s.{c}" for c in hooks.OBSERVATION_ROW)} FROM {t["staged"]} s
        WHERE s.upload_id = %s AND s.value IS NOT NULL AND s.area_id IN ({areas}) AND {staged_match}
        UNION ALL
        SELECT {", ".join(f"o.{c}" for c in hooks.OBSERVATION_ROW)} FROM {t["obs"]} o
        WHERE o.value IS NOT NULL AND o.area_id IN ({areas}) AND {stored_match}
          AND NOT EXISTS (SELECT 1 FROM {t["staged"]} s WHERE s.upload_id = %s AND {_join_on("s", "o")})
        ORDER BY 1
    """
    params = [upload_id, *area_ids, *staged_params, *area_ids, *stored_params, upload_id]
    with transaction.atomic():
        bulk_settings()
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(AFTER_BATCH):
                yield from rows


AFTER_BATCH = 10_000


def _pattern_filter(patterns, *, alias: str) -> tuple[str, list]:
    """SQL on `alias` for the rows matching any of the (indicator, sex, age group, education) patterns
    (None: any value). One row-value IN over a VALUES list per shape of pattern: PostgreSQL hashes the few
    patterns once and probes each row (a hashed semi-join), where an OR of one AND-clause per pattern was
    tested term by term on each of a million staged rows."""
    shapes: dict[tuple[str, ...], list[tuple]] = {}
    for indicator_id, *breakdown in patterns:
        columns = ("indicator_id",) + tuple(
            c for c, v in zip(("sex", "age_group", "education"), breakdown, strict=True) if v is not None
        )
        values = (indicator_id, *(v for v in breakdown if v is not None))
        shapes.setdefault(columns, []).append(values)
    terms, params = [], []
    for columns, rows in shapes.items():
        casts = ", ".join("CAST(%s AS bigint)" if c == "indicator_id" else "%s" for c in columns)
        values = ", ".join(f"({casts})" for _ in rows)
        terms.append(f"({', '.join(f'{alias}.{c}' for c in columns)}) IN (VALUES {values})")
        params += [value for row in rows for value in row]
    return f"({' OR '.join(terms)})", params


# --- Load -----------------------------------------------------------------------------------------------


def upsert(upload_id: int, *, staged_rows: int) -> tuple[int, int]:
    """Keep the stored values the upload replaces, then write its new and changed rows into `Observation`.

    Unchanged rows are not written at all, so re-uploading a file touches nothing. Real data replaces
    sample data like any other value and is stored with is_sample false. Returns (history rows written,
    observation rows written). `staged_rows`: how many rows the upload has staged (staged_totals).
    """
    if connection.vendor == "postgresql":
        return _upsert_postgresql(upload_id, staged_rows)
    # The portable path (SQLite >= 3.24): the replaced values, then one upsert that skips unchanged rows.
    t = _tables()
    content = ", ".join(CONTENT)
    key = ", ".join(KEY)
    history = _execute(
        f"""
        INSERT INTO {t["history"]} (upload_id, {key}, {content}, is_sample, replaced_upload_id)
        SELECT %s, {", ".join(f"o.{c}" for c in KEY)}, {", ".join(f"o.{c}" for c in CONTENT)},
               o.is_sample, o.upload_id
        FROM {t["staged"]} s JOIN {t["obs"]} o ON {_join_on("o", "s")}
        WHERE s.upload_id = %s AND {_differs("o", "s")}
        """,
        [upload_id, upload_id],
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*CONTENT, "is_sample", "upload_id"))
    written = _execute(
        f"""
        INSERT INTO {t["obs"]} ({key}, {content}, is_sample, upload_id)
        SELECT {", ".join(f"s.{c}" for c in KEY)}, {", ".join(f"s.{c}" for c in CONTENT)}, %s, s.upload_id
        FROM {t["staged"]} s
        WHERE s.upload_id = %s
        ON CONFLICT ({key}) DO UPDATE SET {updates}
        WHERE {_differs(t["obs"], "excluded")}
        """,
        [False, upload_id],
    )
    return history, written


def _upsert_postgresql(upload_id: int, staged_rows: int) -> tuple[int, int]:
    """PostgreSQL: two statements, each joining the staged rows with the stored ones once.

    1. Changed keys: the staged rows whose key is stored with different content are joined once (`j`);
       from that the replaced values go to the history and the stored rows are updated. Both parts see
       the same snapshot, so the history holds the values from before the update. An inner join: into
       an empty or mostly new table it finds (almost) nothing, and PostgreSQL stops a hash join whose
       hashed side is empty without reading the staged rows at all.
    2. New keys: a plain INSERT ... SELECT of the staged rows whose key is not stored (an anti-join).

    Measured on a million new rows (bench/ingest.py): the earlier single statement, a LEFT JOIN of every
    staged row materialised once and then inserted from, took about 1.2x the two statements; INSERT ...
    ON CONFLICT DO NOTHING, which tries (and for existing keys fails) a speculative insert of every
    row, about 1.6x; sorting the new rows by the key first, to insert into the unique index in order,
    costs more than it saves. Step 2 runs after step 1, so it never sees a key step 1 could have
    touched: keys are not changed by an update. Loads are serialised by `lock`.
    """
    t = _tables()
    key = ", ".join(KEY)
    content = ", ".join(CONTENT)
    old = ", ".join(f"o.{c} AS old_{c}" for c in CONTENT)
    changed_sql = f"""
        WITH j AS MATERIALIZED (
            SELECT {", ".join(f"s.{c}" for c in (*KEY, *CONTENT))}, s.upload_id,
                   o.id AS old_id, {old}, o.is_sample AS old_is_sample, o.upload_id AS old_upload_id
            FROM {t["staged"]} s JOIN {t["obs"]} o ON {_join_on("o", "s")}
            WHERE s.upload_id = %s AND {_differs("o", "s")}
        ),
        history AS (
            INSERT INTO {t["history"]} (upload_id, {key}, {content}, is_sample, replaced_upload_id)
            SELECT upload_id, {key}, {", ".join(f"old_{c}" for c in CONTENT)}, old_is_sample, old_upload_id
            FROM j
        ),
        updated AS (
            UPDATE {t["obs"]} o
            SET {", ".join(f"{c} = j.{c}" for c in CONTENT)}, is_sample = FALSE, upload_id = j.upload_id
            FROM j WHERE o.id = j.old_id
        )
        SELECT COUNT(*) FROM j
    """
    ((replaced,),) = _fetchall(changed_sql, [upload_id])
    # An observation table that ANALYZE saw empty makes PostgreSQL plan the anti-join below as a nested
    # loop over a sequential scan of the very table the statement fills: quadratic (a million rows into
    # an empty, analysed table had not finished after ten minutes; 11 s without nested loops). Nested
    # loops are forbidden for this one statement when the statistics say the table is smaller than the
    # upload; otherwise an index-probing nested loop is what a small upload into a large table wants.
    ((guard,),) = _fetchall(
        "SELECT reltuples < %s FROM pg_class WHERE oid = %s::regclass",
        [staged_rows, Observation._meta.db_table],
    )
    if guard:
        _execute("SET LOCAL enable_nestloop = off", [])
    inserted = _execute(
        f"""
        INSERT INTO {t["obs"]} ({key}, {content}, is_sample, upload_id)
        SELECT {", ".join(f"s.{c}" for c in (*KEY, *CONTENT))}, FALSE, s.upload_id
        FROM {t["staged"]} s
        WHERE s.upload_id = %s
          AND NOT EXISTS (SELECT 1 FROM {t["obs"]} o WHERE {_join_on("o", "s")})
        """,
        [upload_id],
    )
    if guard:
        _execute("SET LOCAL enable_nestloop TO DEFAULT", [])
    return replaced, replaced + inserted


def sleep_for_tests() -> None:
    """The kill test's window: see SLEEP_AFTER_UPSERT_ENV."""
    if seconds := os.environ.get(SLEEP_AFTER_UPSERT_ENV):
        time.sleep(float(seconds))


# --- Rollback -------------------------------------------------------------------------------------------


def later_uploads_blocking_rollback(upload_id: int) -> list[int]:
    """Loaded uploads that replaced values this upload wrote: they must be rolled back first."""
    return list(
        ObservationHistory.objects.filter(replaced_upload_id=upload_id, upload__status=Upload.Status.LOADED)
        .order_by("upload_id")
        .values_list("upload_id", flat=True)
        .distinct()
    )


def rollback(upload_id: int) -> tuple[set[int], int, int]:
    """Delete the keys the upload created and write back exactly the values it replaced.

    Returns (indicator ids touched, observations deleted, observations restored).
    """
    t = _tables()
    indicator_ids = {
        row[0]
        for row in _fetchall(
            f"""
            SELECT DISTINCT indicator_id FROM {t["obs"]} WHERE upload_id = %s
            UNION SELECT DISTINCT indicator_id FROM {t["history"]} WHERE upload_id = %s
            """,
            [upload_id, upload_id],
        )
    }
    # Keys the upload created: its observations without a replaced value on record.
    deleted = _execute(
        f"""
        DELETE FROM {t["obs"]}
        WHERE upload_id = %s AND NOT EXISTS (
            SELECT 1 FROM {t["history"]} h WHERE h.upload_id = %s AND {_join_on("h", t["obs"])}
        )
        """,
        [upload_id, upload_id],
    )
    key = ", ".join(KEY)
    content = ", ".join(CONTENT)
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*CONTENT, "is_sample", "upload_id"))
    restored = _execute(
        f"""
        INSERT INTO {t["obs"]} ({key}, {content}, is_sample, upload_id)
        SELECT {key}, {content}, is_sample, replaced_upload_id FROM {t["history"]} h
        WHERE h.upload_id = %s
        ON CONFLICT ({key}) DO UPDATE SET {updates}
        """,
        [upload_id],
    )
    return indicator_ids, deleted, restored


# --- Labels ---------------------------------------------------------------------------------------------


def breakdown_label(sex: str, age_group: str, education: str) -> str:
    """ "Kvinder, 16-24 år", or "Alle" for the whole population: how the preview names a breakdown."""
    parts = []
    if sex != ALL:
        parts.append(fileformat.sex_label(sex))
    if age_group != ALL:
        parts.append(_("%(age)s år") % {"age": age_group})
    if education != ALL:
        parts.append(education)
    return ", ".join(parts) if parts else _("Alle")


def _indicator_labels(ids) -> dict[int, tuple[str, str]]:
    return {
        pk: (code, name)
        for pk, code, name in Indicator.objects.filter(pk__in=ids).values_list("pk", "code", "name")
    }


def _area_labels(ids) -> dict[int, tuple[str, str]]:
    return {
        pk: (code, name)
        for pk, code, name in Area.objects.filter(pk__in=ids).values_list("pk", "code", "name")
    }
