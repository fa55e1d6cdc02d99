"""Writing a plain dataset's files with PostgreSQL's COPY: the database formats every row,
Python only streams the bytes to the files, hashing them on the way.

A plain dataset (``Dataset.is_plain``) is one query whose every value the database formats
as the files publish it. Its Django query, compiled as the ORM would run it, is wrapped twice:

- CSV: ``COPY (SELECT <the columns> FROM (<query>) q) TO STDOUT WITH (FORMAT csv, HEADER)``.
  PostgreSQL quotes and escapes; Python turns its line ends into the CRLF of RFC 4180 (each
  message of a COPY is one row, so only the last byte of each is a line end);
- JSON and GeoJSON, in one pass: each row as ``row_to_json`` (the JSON object) and, for a
  dataset with a point, its geometry, read in COPY's binary format so that the JSON arrives
  as it is, without COPY's text escapes. Python lays them out as ``opendata.writers`` does:
  the JSON file's objects and the features' properties are the same bytes.

The two run at once on the view's two connections (``opendata.reading``), the second in a
thread: PostgreSQL does the formatting, so two processes of it work while Python mostly waits.

The rows and values are those ``Dataset.rows`` reads for the Python writers: the same query,
the same cells, written alike (quotes only where needed, numbers in their shortest form). Each
file is first written as ``<name>.part`` and renamed when complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper

from opendata.datasets import Dataset
from opendata.reading import SnapshotView
from opendata.writers import GeoJsonWriter, HashingFile, JsonWriter, Written

PROGRESS_EVERY = 5000
PROGRESS_SECONDS = 2.0
CSV_BATCH = 1000
FEATURE_START = b'{"type":"Feature","geometry":'
PROPERTIES = b',"properties":'
# GeoJSON's geometry of a row, as the Python writer writes it: compact, [longitude, latitude].
GEOMETRY = (
    "CASE WHEN r.{lat} IS NULL OR r.{lon} IS NULL THEN 'null'"
    """ ELSE '{{"type":"Point","coordinates":[' || r.{lon}::text || ',' || r.{lat}::text || ']}}' END"""
)

Progress = Callable[[int], None]


def dataset_query(dataset: Dataset, cutoff: datetime, connection: BaseDatabaseWrapper) -> tuple[str, list]:
    """The dataset's query as the ORM would run it on ``connection``, its columns named by their sources."""
    queryset = dataset.query(cutoff).values_list(*dataset.sources)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    selected = [alias for _expression, _sql, alias in compiler.select]
    if selected != list(dataset.sources):  # Django names each selected value by what was asked
        raise RuntimeError(f"{dataset.name}: the query selects {selected}, not {list(dataset.sources)}")
    return sql, list(params)


def cells(dataset: Dataset, connection: BaseDatabaseWrapper, *, csv: bool) -> str:
    """The dataset's columns, in order and under their names, read from the query ``q``."""
    quote = connection.ops.quote_name
    selected = []
    for column in dataset.columns:
        value = f"q.{quote(column.source)}"
        if csv and column.type == "boolean":
            # Python's csv module writes True and False; a JSON boolean stays a boolean.
            value = f"CASE WHEN {value} THEN 'True' WHEN NOT {value} THEN 'False' END"
        elif csv and column.type == "string":
            # PostgreSQL quotes an empty string ("") to tell it from a null; a CSV cell cannot
            # tell them apart anyway, and Python's csv module writes both as nothing.
            value = f"NULLIF({value}, '')"
        selected.append(f"{value} AS {quote(column.name)}")
    return ", ".join(selected)


def statements(dataset: Dataset, cutoff: datetime, connection: BaseDatabaseWrapper) -> tuple[str, str, list]:
    """The CSV COPY, the JSON (and geometry) COPY, and the parameters both take.

    Built from the ORM's compiled query and quoted column names only: every value is a parameter.
    """
    query, params = dataset_query(dataset, cutoff, connection)
    csv_cells, json_cells = cells(dataset, connection, csv=True), cells(dataset, connection, csv=False)
    outputs = ["convert_to(row_to_json(r)::text, 'UTF8')"]
    if dataset.point:
        lat, lon = (connection.ops.quote_name(name) for name in dataset.point)
        outputs.append(f"convert_to({GEOMETRY.format(lat=lat, lon=lon)}, 'UTF8')")
    csv = f"COPY (SELECT {csv_cells} FROM ({query}) AS q) TO STDOUT WITH (FORMAT csv, HEADER)"  # noqa: S608
    json = (
        f"COPY (SELECT {', '.join(outputs)} FROM (SELECT {json_cells} FROM ({query}) AS q) AS r)"  # noqa: S608
        " TO STDOUT WITH (FORMAT binary)"
    )
    return csv, json, params


@contextmanager
def _copy(connection: BaseDatabaseWrapper, statement: str, params: list) -> Iterator:
    with connection.cursor() as cursor:
        # Logged like any query when Django logs queries (DEBUG).
        logged = cursor.debug_sql(statement, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged, cursor.cursor.copy(statement, params) as copy:
            yield copy


def _crlf(rows: list) -> bytes:
    """COPY's rows with CRLF line ends; a line end inside a quoted value stays as it was written."""
    data = b"".join(rows)
    if data.count(b"\n") == len(rows):  # no value holds a line end: the usual case, in one step
        return data.replace(b"\n", b"\r\n")
    return b"".join(bytes(row[:-1]) + b"\r\n" for row in rows)


def write_csv(connection: BaseDatabaseWrapper, statement: str, params: list, path: Path, progress: Progress) -> Written:
    """The CSV COPY into ``path``, with CRLF line ends, hashed as it is written."""
    rows = -1  # the header is a row of COPY's
    with path.open("wb") as handle:
        out = HashingFile(handle)
        with _copy(connection, statement, params) as copy:
            batch = []
            for row in copy:
                batch.append(row)
                if len(batch) == CSV_BATCH:
                    out.write(_crlf(batch))
                    rows += len(batch)
                    batch = []
                    if rows % PROGRESS_EVERY < CSV_BATCH:
                        progress(rows)
            if batch:
                out.write(_crlf(batch))
                rows += len(batch)
        return out.close(max(rows, 0))


def write_json(
    connection: BaseDatabaseWrapper,
    statement: str,
    params: list,
    json_path: Path,
    geojson_path: Path | None,
    progress: Progress,
) -> dict[str, Written]:
    """The JSON COPY into ``json_path`` and, with a geometry, ``geojson_path``, laid out as
    ``JsonWriter`` and ``GeoJsonWriter`` lay them out, hashed as they are written."""
    rows = 0
    with json_path.open("wb") as json_handle, geojson_path.open("wb") if geojson_path else nullcontext() as geo:
        json_out = HashingFile(json_handle)
        json_out.write(JsonWriter.opening.encode())
        geo_out = HashingFile(geo) if geo else None
        if geo_out:
            geo_out.write(GeoJsonWriter.opening.encode())
        separator = b"\n"
        with _copy(connection, statement, params) as copy:
            copy.set_types(["bytea", "bytea"] if geo_out else ["bytea"])
            for row in copy.rows():
                json_out.write(separator + row[0])
                if geo_out:
                    geo_out.write(b"".join((separator, FEATURE_START, row[1], PROPERTIES, row[0], b"}")))
                separator = b",\n"
                rows += 1
                if rows % PROGRESS_EVERY == 0:
                    progress(rows)
        json_out.write(JsonWriter.closing.encode())
        written = {"json": json_out.close(rows)}
        if geo_out:
            geo_out.write(GeoJsonWriter.closing.encode())
            written["geojson"] = geo_out.close(rows)
    return written


def copy_dataset(
    dataset: Dataset, cutoff: datetime, view: SnapshotView, workdir: Path, progress: Progress
) -> dict[str, Written]:
    """Write every format of a plain dataset, read in ``view``, into ``workdir`` as ``<name>.<format>``.

    Two COPYs, the CSV one and the JSON one (which writes the GeoJSON too), run at once when
    the view has a companion connection, one after the other otherwise. ``progress(rows)`` is
    told, now and then, how many of the dataset's rows are done (the two counting as half each),
    always from the calling thread.
    """
    csv, json, params = statements(dataset, cutoff, view.connection)
    parts = {fmt: workdir / f"{dataset.name}.{fmt}.part" for fmt in dataset.formats}
    done = {"csv": 0, "json": 0}

    def count(stream: str, tell: bool) -> Progress:
        def counted(rows: int) -> None:
            done[stream] = rows
            if tell:
                progress((done["csv"] + done["json"]) // 2)

        return counted

    json_args = (json, params, parts["json"], parts.get("geojson"))
    if view.companion is None:
        written = {"csv": write_csv(view.connection, csv, params, parts["csv"], count("csv", True))}
        written |= write_json(view.connection, *json_args, count("json", True))
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="opendata-copy") as pool:
            # Only this thread saves progress (Django's default connection is this thread's).
            job = pool.submit(write_json, view.companion, *json_args, count("json", False))
            try:
                written = {"csv": write_csv(view.connection, csv, params, parts["csv"], count("csv", True))}
                while not wait([job], timeout=PROGRESS_SECONDS).done:
                    count("json", True)(done["json"])
            except BaseException:
                view.companion.connection.cancel_safe()  # ends the other COPY, so the pool can close
                raise
            written |= job.result()
    for fmt, part in parts.items():
        os.replace(part, workdir / f"{dataset.name}.{fmt}")
    return written
