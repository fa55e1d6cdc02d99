"""What a dataset is: its columns (each a data dictionary entry paired with what it reads) and
the query its rows come from.

Each column is defined once, with its data dictionary entry (the page's dictionary, the Data
Package's Table Schema, DCAT) and the value it reads from the dataset's query; the rows, their
column order and the query's select list all follow from that list.

Most datasets are *plain*: each column reads one value of the query, which the database
already formats as the file publishes it (see ``opendata.sql``). Their rows can be read into
Python and written by ``opendata.writers``, or written by PostgreSQL's COPY
(``opendata.copying``): the same query, the same cells. A column may instead compute its cell in
Python (``value``), and a small dataset may be worked out by another module (``computed``):
those datasets are always written from Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet

CHUNK = 5000


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its data dictionary entry, paired with what it reads.

    ``source`` names the value (a field path or an annotation of the dataset's query) the
    column reads, or several for a computed one. The cell is that value as read, or
    ``value(*sources)`` when the column has a ``value`` function.
    """

    name: str
    type: str  # Table Schema type
    description: str
    source: str | tuple[str, ...]
    value: Callable[..., object] | None = None
    required: bool = False
    enum: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    @property
    def is_plain(self) -> bool:
        """The cell is one value of the query, as the database gives it."""
        return self.value is None and isinstance(self.source, str)

    def schema(self) -> dict[str, object]:
        described: dict[str, object] = {"name": self.name, "type": self.type, "description": str(self.description)}
        constraints: dict[str, object] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        if self.type == "datetime":
            described["format"] = "%Y-%m-%dT%H:%M:%SZ"
        return described

    def cell(self, sources: Sequence[str]) -> Callable[[Sequence], object]:
        """How to compute this column's cell from a record holding ``sources``, in that order."""
        positions = [sources.index(name) for name in self.sources]
        if self.value is None:
            position = positions[0]
            read = lambda record: record[position]  # noqa: E731
        elif len(positions) == 1:
            value, position = self.value, positions[0]
            read = lambda record: value(record[position])  # noqa: E731
        else:
            value = self.value
            read = lambda record: value(*[record[position] for position in positions])  # noqa: E731
        if self.type == "number":
            return lambda record: shortest_number(read(record))
        return read


def shortest_number(value: object) -> object:
    """A whole float as an integer (``24``, not ``24.0``), as PostgreSQL writes a float: both ways
    of writing a file give the same text for the same number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def value_records(queryset: QuerySet, sources: Sequence[str]) -> Iterator[tuple]:
    """The query's values, as tuples in the order of ``sources``, streamed in chunks."""
    return queryset.values_list(*sources).iterator(chunk_size=CHUNK)


def instance_records(queryset: QuerySet, sources: Sequence[str]) -> Iterator[tuple]:
    """The attributes of each object (for a query whose prefetched relations a column reads)."""
    for instance in queryset:
        yield tuple(getattr(instance, name) for name in sources)


def as_is(queryset: QuerySet, cutoff: datetime) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class Dataset:
    """A dataset: its description, its columns, and the query its rows come from.

    ``published(cutoff)`` is what the public may see up to the cutoff, one row per item: DCAT
    reads its ``temporal_source`` for the dataset's time span. ``shape(queryset, cutoff)``
    adds the annotations, grouping and order of the rows; ``records`` reads the columns'
    sources from the shaped query. A small dataset of figures another module works out (one row
    per operator and month) gives ``computed(cutoff)`` instead: its rows, as mappings of the
    columns' sources.
    """

    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    columns: tuple[Column, ...]
    published: Callable[[datetime], QuerySet]
    shape: Callable[[QuerySet, datetime], QuerySet] = as_is
    records: Callable[[QuerySet, Sequence[str]], Iterable[Sequence]] = value_records
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict, ...] = ()
    point: tuple[str, str] | None = None  # (latitude column, longitude column) for GeoJSON
    temporal_field: str = ""  # the column that dates a row
    temporal_source: str = "created_at"  # the field of ``published`` behind it
    computed: Callable[[datetime], Sequence[Mapping[str, object]]] | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every value the columns read, each once, in the order of the columns."""
        return tuple(dict.fromkeys(name for column in self.columns for name in column.sources))

    @property
    def formats(self) -> tuple[str, ...]:
        return ("csv", "json", "geojson") if self.point else ("csv", "json")

    @property
    def is_plain(self) -> bool:
        """Every cell is a value of the query as the database formats it: PostgreSQL can write the files."""
        return (
            self.computed is None and self.records is value_records and all(column.is_plain for column in self.columns)
        )

    def query(self, cutoff: datetime) -> QuerySet:
        return self.shape(self.published(cutoff), cutoff)

    def count(self, cutoff: datetime) -> int:
        if self.computed is not None:
            return len(self.computed(cutoff))
        return self.query(cutoff).count()

    def rows(self, cutoff: datetime) -> Iterator[tuple]:
        """The rows, in the order of the columns."""
        sources = self.sources
        cells = [column.cell(sources) for column in self.columns]
        if self.computed is not None:
            records: Iterable[Sequence] = (tuple(item[name] for name in sources) for item in self.computed(cutoff))
        else:
            records = self.records(self.query(cutoff), sources)
        for record in records:
            yield tuple([cell(record) for cell in cells])

    def table_schema(self) -> dict[str, object]:
        schema: dict[str, object] = {"fields": [column.schema() for column in self.columns]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = list(self.foreign_keys)
        return schema


def moment(value: datetime | None) -> str | None:
    """Table Schema's default datetime form: UTC with a Z (the database's ``UtcTimestamp`` in Python)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
