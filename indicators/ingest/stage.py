"""Staging: writing a validated frame into `StagedObservation`, as fast as the database takes it.

PostgreSQL gets one `COPY ... FROM STDIN` fed with CSV that pandas writes in C, chunk by chunk, so the rows
never pass through Python one by one and memory stays bounded by the chunk. Other databases (SQLite in
development and tests) get batched `executemany`.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd
from django.db import OperationalError, connection

from ..models import StagedObservation
from .validate import COLUMNS as VALIDATED_COLUMNS

# The staging table's columns are the validated frame's (the contract), in its order; `upload_id` is prepended.
COLUMNS = tuple(VALIDATED_COLUMNS)
TEXT_COLUMNS = ("period_label", "sex", "age_group", "education")
CHUNK_ROWS = 250_000
# COPY's marker for NULL. An empty unquoted field would be NULL too, but then an empty period label could
# not be told from a missing one.
NULL = r"\N"


def _table() -> str:
    return connection.ops.quote_name(StagedObservation._meta.db_table)


def _column_list() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in ("upload_id", *COLUMNS))


def staged_insert(
    *, upload_id: int, frame: pd.DataFrame, progress: Callable[[float], None] | None = None
) -> int:
    """Write the validated frame (columns as in ingest/CONTRACT.md) as staged rows of the upload.

    Runs in the caller's transaction. Returns the number of rows written.
    """
    if frame.empty:
        return 0
    frame = frame.loc[:, list(COLUMNS)]
    frame.insert(0, "upload_id", upload_id)
    if connection.vendor == "postgresql" and not _has_null_marker(frame):
        copy_binary(frame, table=_table(), progress=progress)
    else:
        _executemany(frame, progress)
    return len(frame)


def staged_delete(*, upload_id: int, truncate: bool = True) -> None:
    """Remove an upload's staged rows (after loading, discarding or rejecting it).

    On PostgreSQL, when no other upload has rows staged, the table is truncated instead: deleting a million
    rows one by one takes half a second of the load, truncating takes none. The table is locked first
    (NOWAIT: if another upload is staging right now, the plain DELETE is used and nothing waits), and the
    check for other uploads' rows is made under that lock, so none can be lost. `truncate=False` never
    truncates: for a transaction that goes on staging for long, so as not to hold that lock meanwhile.
    """
    with connection.cursor() as cursor:
        if truncate and connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("SAVEPOINT staged_delete_lock")
            try:
                cursor.execute(f"LOCK TABLE {_table()} IN ACCESS EXCLUSIVE MODE NOWAIT")
            except OperationalError:  # lock_not_available: someone is staging; fall back to DELETE
                cursor.execute("ROLLBACK TO SAVEPOINT staged_delete_lock")
            else:
                cursor.execute("RELEASE SAVEPOINT staged_delete_lock")
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_table()} WHERE upload_id <> %s)", [upload_id])
                if not cursor.fetchone()[0]:
                    cursor.execute(f"TRUNCATE {_table()}")
                    return
        cursor.execute(f"DELETE FROM {_table()} WHERE upload_id = %s", [upload_id])


def _has_null_marker(frame: pd.DataFrame) -> bool:
    """A text cell that reads exactly \\N would be taken for NULL by COPY; such a file goes the slow way."""
    return any(frame[column].eq(NULL).any() for column in TEXT_COLUMNS)


def copy_binary(frame: pd.DataFrame, *, table: str, progress: Callable[[float], None] | None = None) -> None:
    """COPY the frame (the validated columns with `upload_id` prepended, as `staged_insert` builds it) into
    `table` (quoted), which must have the columns of BINARY_ORDER. PostgreSQL only. Also used by
    bench/ingest.py to time the same COPY straight into an observation-shaped table."""
    columns = ", ".join(connection.ops.quote_name(c) for c in BINARY_ORDER)
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)"
    total = len(frame)
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(BINARY_HEADER)
        for start in range(0, total, CHUNK_ROWS):
            for block in _binary_rows(frame.iloc[start : start + CHUNK_ROWS]):
                copy.write(block)
            if progress:
                progress(min(start + CHUNK_ROWS, total) / total)
        copy.write(BINARY_TRAILER)


# PostgreSQL's binary COPY format: a signature, then per row the field count and each field as a length
# (-1 for NULL) followed by its bytes, big-endian. Rows are built with numpy, a block of identically
# shaped rows at a time: rows whose text cells and NULLs are alike have the same layout, so one
# structured array holds them all and its bytes are the COPY data. A file has a few hundred such shapes
# (the sex x age x education x period labels in it), so this is a few hundred vectorised assignments
# instead of a million Python calls. Row order does not matter to COPY.
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
BINARY_TRAILER = (-1).to_bytes(2, "big", signed=True)
# (column, numpy big-endian type) for the columns that are never NULL, then the nullable numbers.
FIXED = (
    ("upload_id", ">i8"),
    ("indicator_id", ">i8"),
    ("area_id", ">i8"),
    ("year", ">i2"),
    ("suppressed", "u1"),
    ("line", ">i4"),
)
NULLABLE = (("value", ">f8"), ("ci_low", ">f8"), ("ci_high", ">f8"), ("respondents", ">i8"))
BINARY_ORDER = tuple(c for c, _ in FIXED) + tuple(c for c, _ in NULLABLE) + TEXT_COLUMNS


def _binary_rows(chunk: pd.DataFrame):
    """Yield the COPY bytes of the chunk's rows, one block per row layout."""
    arrays, nulls = {}, {}
    for column, kind in FIXED + NULLABLE:
        series = chunk[column]
        nulls[column] = series.isna().to_numpy()
        arrays[column] = series.to_numpy(dtype=np.dtype(kind).newbyteorder("="), na_value=0)
    # One integer per row naming its layout: which numbers are NULL and which text cells it has.
    code = np.zeros(len(chunk), dtype=np.int64)
    for column, _ in NULLABLE:
        code = code * 2 + nulls[column]
    for column in TEXT_COLUMNS:
        codes, uniques = pd.factorize(chunk[column], sort=False)
        code = code * len(uniques) + codes
    texts = {column: chunk[column].to_numpy() for column in TEXT_COLUMNS}
    order = np.argsort(code, kind="stable")
    code = code[order]
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    ends = np.r_[starts[1:], len(code)]
    for start, end in zip(starts, ends, strict=True):
        rows = order[start:end]
        first = rows[0]
        is_null = {column: bool(nulls[column][first]) for column, _ in NULLABLE}
        text = b"".join(_field(str(texts[column][first]).encode("utf-8")) for column in TEXT_COLUMNS)
        fields = [("count", ">i2")]
        for column, kind in FIXED + NULLABLE:
            fields.append((f"{column}_len", ">i4"))
            if not is_null.get(column, False):
                fields.append((column, kind))
        fields.append(("texts", f"S{len(text)}"))
        block = np.empty(len(rows), dtype=np.dtype(fields))
        block["count"] = len(BINARY_ORDER)
        for column, kind in FIXED + NULLABLE:
            if is_null.get(column, False):
                block[f"{column}_len"] = -1
            else:
                block[f"{column}_len"] = np.dtype(kind).itemsize
                block[column] = arrays[column][rows]
        block["texts"] = text
        yield block.tobytes()


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _executemany(frame: pd.DataFrame, progress) -> None:
    placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
    sql = f"INSERT INTO {_table()} ({_column_list()}) VALUES ({placeholders})"
    total = len(frame)
    batch_rows = 5000
    with connection.cursor() as cursor:
        for start in range(0, total, batch_rows):
            chunk = frame.iloc[start : start + batch_rows]
            # NaN and <NA> must reach the database as NULL, and numpy scalars as plain Python values.
            rows = chunk.astype(object).where(chunk.notna(), None).itertuples(index=False, name=None)
            cursor.executemany(sql, [tuple(_plain(v) for v in row) for row in rows])
            if progress:
                progress(min(start + batch_rows, total) / total)


def _plain(value):
    return value.item() if hasattr(value, "item") else value
