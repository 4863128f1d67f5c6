"""Staging: writing validated frames into `StagedObservation`, as fast as the database takes them.

PostgreSQL gets one binary `COPY ... FROM STDIN` for the whole file, held open while the file is read and
checked chunk by chunk, and fed from a thread (`StagedWriter`): the server stores one chunk while Python
reads the next, so on two cores staging costs little more than reading. The rows never pass through
Python one by one (see `_binary_rows`) and memory stays bounded by a chunk and the writer's queue. Other
databases (SQLite in development and tests) get batched `executemany`.
"""

from contextlib import ExitStack

import numpy as np
import pandas as pd
from django.db import OperationalError, connection
from psycopg.copy import QueuedLibpqWriter

from ..models import StagedObservation
from .validate import COLUMNS as VALIDATED_COLUMNS

# The staging table's columns are the validated frame's (the contract), in its order; `upload_id` is prepended.
COLUMNS = tuple(VALIDATED_COLUMNS)
TEXT_COLUMNS = ("period_label", "sex", "age_group", "education")
# Rows turned into COPY data at a time: a wide file's chunk can hold many values per line.
CHUNK_ROWS = 250_000
# The COPY data go to the writer's thread in pieces of this size. psycopg queues at most 1,024 pieces,
# so at most 32 MB wait there (beside the block being cut up): a server slower than the reader holds the
# reader back, not memory.
PIECE_BYTES = 32 * 1024


def _table() -> str:
    return connection.ops.quote_name(StagedObservation._meta.db_table)


def _column_list() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in ("upload_id", *COLUMNS))


class StagedWriter:
    """Writes an upload's validated frames as staged rows, in the caller's transaction, as they come.

    A context manager: leaving it normally ends the COPY, so the rows are there for the statements that
    follow; leaving it by an exception aborts the COPY (the caller's transaction then rolls back, as it
    must anyway). On PostgreSQL the COPY is opened at the first frame and stays open, its data sent by
    psycopg's writer thread; `restart()` ends it and deletes what was staged, for a file checked again
    from the start. Measured on a million rows (bench/ingest.py): reading, checking and staging took
    9.4 s with one COPY per chunk written from the reading thread, and 4.3 s this way.
    """

    def __init__(self, upload_id: int, *, table: str | None = None):
        self.upload_id = upload_id
        # Another table with the columns of BINARY_ORDER (quoted): bench/ingest.py times the same COPY
        # straight into an observation-shaped table. PostgreSQL only.
        self.table = table or _table()
        self.rows = 0
        self._copy = None
        self._stack = ExitStack()

    def __enter__(self) -> "StagedWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self._end(*exc_info)

    def add(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        frame = frame.loc[:, list(COLUMNS)]
        frame.insert(0, "upload_id", self.upload_id)
        if connection.vendor == "postgresql":
            copy = self._copy or self._open()
            for rows in range(0, len(frame), CHUNK_ROWS):
                for block in _binary_rows(frame.iloc[rows : rows + CHUNK_ROWS]):
                    view = memoryview(block)
                    for start in range(0, len(view), PIECE_BYTES):
                        copy.write(view[start : start + PIECE_BYTES])
        else:
            _executemany(frame)
        self.rows += len(frame)

    def restart(self) -> None:
        self._end(None, None, None)
        staged_delete(upload_id=self.upload_id, truncate=False)
        self.rows = 0

    def _open(self):
        cursor = self._stack.enter_context(connection.cursor()).cursor
        columns = ", ".join(connection.ops.quote_name(c) for c in BINARY_ORDER)
        sql = f"COPY {self.table} ({columns}) FROM STDIN WITH (FORMAT binary)"
        copy = self._stack.enter_context(cursor.copy(sql, writer=QueuedLibpqWriter(cursor)))

        def write_trailer(exc_type, exc, traceback):
            # Only a COPY that went well is ended with its trailer; if writing it fails, the COPY's own
            # exit below sees that error and aborts.
            if exc_type is None:
                copy.write(BINARY_TRAILER)

        self._stack.push(write_trailer)
        # While the COPY is open, psycopg holds the connection's lock: another statement on it would wait
        # for ever. Refuse it instead, saying why.
        self._stack.enter_context(connection.execute_wrapper(_refuse_during_copy))
        copy.write(BINARY_HEADER)
        self._copy = copy
        return copy

    def _end(self, *exc_info) -> None:
        self._copy = None
        stack, self._stack = self._stack, ExitStack()
        stack.__exit__(*exc_info)


class StagingInProgress(RuntimeError):
    """A statement was sent on the connection while a StagedWriter's COPY was open on it."""


def _refuse_during_copy(execute, sql, params, many, context):
    raise StagingInProgress(
        f"The staging COPY is still open; end the StagedWriter before running: {sql[:80]}"
    )


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


def _executemany(frame: pd.DataFrame) -> None:
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


def _plain(value):
    return value.item() if hasattr(value, "item") else value
