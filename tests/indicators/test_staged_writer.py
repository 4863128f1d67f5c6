"""The staging writer (indicators/ingest/stage.py): one COPY held open over the whole file on PostgreSQL,
batches elsewhere. What it stages is exactly what was validated, also when the file is checked a second
time from the start, and nothing stays behind when staging is interrupted. These run on SQLite and, in
CI, on PostgreSQL, where the COPY path is the one used."""

import io
from pathlib import Path

import pandas as pd
import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from indicators.ingest.read import Limits, open_table, read_table
from indicators.ingest.stage import COLUMNS, StagedWriter, StagingInProgress
from indicators.ingest.validate import Lookup, validate, validate_chunks
from indicators.models import StagedObservation
from indicators.services.uploads import upload_create

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def _upload_id() -> int:
    return upload_create(
        file=ContentFile("indikator;område;år;andel\n".encode(), name="x.csv"), enqueue=False
    ).pk


def _staged(upload_id: int) -> pd.DataFrame:
    rows = (
        StagedObservation.objects.filter(upload_id=upload_id).order_by("line", "year").values_list(*COLUMNS)
    )
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def _comparable(frame: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame.loc[:, list(COLUMNS)]
        .sort_values(["line", "year"])
        .itertuples(index=False, name=None)
    ]


def test_a_file_read_in_many_chunks_is_staged_row_for_row_as_validated():
    data = (DATA / "good-wide.csv").read_bytes()
    expected = validate(read_table(data, "good-wide.csv", max_bytes=10_000_000), Lookup.from_db()).frame
    upload_id = _upload_id()
    with transaction.atomic(), StagedWriter(upload_id) as writer:
        table = open_table(io.BytesIO(data), "good-wide.csv", limits=Limits(chunk_bytes=64))
        validation = validate_chunks(table, Lookup.from_db(), stage=writer.add, restart=writer.restart)
    assert validation.problems == []
    assert writer.rows == len(expected) >= 8
    assert _comparable(_staged(upload_id)) == _comparable(expected)


def test_a_file_checked_again_from_the_start_is_staged_once():
    # The first chunks have only "4.812"; a later one shows the decimal comma, so the file is read again
    # (test_ingest_chunks.py). What was staged before that must not stay staged beside the second reading.
    rows = "".join(f"behov-for-behandling;461;{year};4.812\n" for year in range(2000, 2010))
    data = ("indikator;område;år;andel\n" + rows + "behov-for-behandling;479;2021;16,3\n").encode()
    upload_id = _upload_id()
    restarts = []
    with transaction.atomic(), StagedWriter(upload_id) as writer:

        def restart():
            staged_before = writer.rows
            writer.restart()
            restarts.append((staged_before, StagedObservation.objects.filter(upload_id=upload_id).count()))

        table = open_table(io.BytesIO(data), "x.csv", limits=Limits(chunk_bytes=60))
        validate_chunks(table, Lookup.from_db(), stage=writer.add, restart=restart)
    assert restarts == [(11, 0)]  # every row staged by the first reading, then thrown away
    staged = _staged(upload_id)
    assert staged["value"].tolist() == [4812.0] * 10 + [16.3]
    assert staged["line"].tolist() == list(range(2, 13))


def test_staging_interrupted_by_an_error_leaves_nothing_and_the_connection_usable():
    data = (DATA / "good-wide.csv").read_bytes()
    frame = validate(read_table(data, "good-wide.csv", max_bytes=10_000_000), Lookup.from_db()).frame
    upload_id = _upload_id()
    stopped = pytest.raises(RuntimeError, match="the worker was stopped")
    with stopped, transaction.atomic(), StagedWriter(upload_id) as writer:
        writer.add(frame)
        raise RuntimeError("the worker was stopped")
    assert not StagedObservation.objects.filter(upload_id=upload_id).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_text_cell_that_reads_like_copys_null_marker_is_stored_as_text():
    # Binary COPY carries every field's length, so "\N" is two characters and not NULL.
    data = (DATA / "good-wide.csv").read_bytes()
    frame = validate(read_table(data, "good-wide.csv", max_bytes=10_000_000), Lookup.from_db()).frame.head(3)
    frame = frame.assign(period_label="\\N")
    upload_id = _upload_id()
    with transaction.atomic(), StagedWriter(upload_id) as writer:
        writer.add(frame)
    assert _staged(upload_id)["period_label"].tolist() == ["\\N"] * 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY is PostgreSQL's")
def test_a_statement_while_the_copy_is_open_is_refused_not_left_waiting():
    # psycopg holds the connection's lock for the whole COPY: without the refusal this would hang.
    data = (DATA / "good-wide.csv").read_bytes()
    frame = validate(read_table(data, "good-wide.csv", max_bytes=10_000_000), Lookup.from_db()).frame
    upload_id = _upload_id()
    with pytest.raises(StagingInProgress), transaction.atomic(), StagedWriter(upload_id) as writer:
        writer.add(frame)
        StagedObservation.objects.count()
    assert not StagedObservation.objects.filter(upload_id=upload_id).exists()
