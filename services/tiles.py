"""Web Mercator map tiles (z/x/y) and the grid of cells the report map's clusters are counted in.

The tiles are those of every web map (OpenStreetMap's ``z/x/y``, 256 px): at zoom ``z`` the
world is 2^z by 2^z tiles, ``x`` counted eastwards from the antimeridian and ``y`` southwards
from 85.0511° N. Each tile is cut into ``CELLS`` by ``CELLS`` cells, the same way: a cell is a
tile of zoom ``z + log2(CELLS)``.

A point lies in exactly one tile of a zoom, and in exactly one cell of it: a tile (or cell)
keeps its west and north edges and leaves its east and south edges to its neighbours
(``west <= lon < east`` and ``south < lat <= north``), as ``floor(pixel / 256)`` decides in a map
client. Every edge is computed here, in Python, by one function of its integer index, so two
neighbours share the very same float, and a tile's edges are its children's; the database only
compares numbers with these edges. It needs no trigonometry (the Mercator latitude needs
``ln(tan(...))``, which SQLite lacks without its math functions) and SQLite and PostgreSQL
agree to the last bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

# Deepest zoom a tile may have: beyond 22 a tile is a few centimetres wide, and no map goes there.
MAX_ZOOM = 22
# Cells per side of a tile: cells of 64 px on a 256 px tile, room for one 44 px circle each.
# A power of two, so that cell edges are tile edges of a deeper zoom.
CELLS = 4
# The northern and southern limit of Web Mercator.
MAX_LATITUDE = math.degrees(math.atan(math.sinh(math.pi)))


def edge_lon(index: int, count: int) -> float:
    """The longitude of the ``index``-th of ``count`` meridians that cut the world into columns."""
    return index / count * 360.0 - 180.0


def edge_lat(index: int, count: int) -> float:
    """The latitude of the ``index``-th of ``count`` parallels that cut the Mercator world into rows."""
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * index / count))))


class TileError(ValueError):
    """A tile that does not exist: the message names what is wrong."""


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    @classmethod
    def checked(cls, z: int, x: int, y: int) -> Tile:
        """The tile, or a ``TileError`` when the zoom or the position is out of range."""
        if not 0 <= z <= MAX_ZOOM:
            raise TileError(_("The zoom must be from 0 to %(max)d.") % {"max": MAX_ZOOM})
        side = 2**z
        if not (0 <= x < side and 0 <= y < side):
            raise TileError(_("At zoom %(z)d, x and y must be from 0 to %(max)d.") % {"z": z, "max": side - 1})
        return cls(z, x, y)

    @classmethod
    def containing(cls, lat: float, lon: float, z: int) -> Tile:
        """The tile of zoom ``z`` that holds a point (used by the benchmark and the tests)."""
        side = 2**z
        x = min(max(math.floor((lon + 180.0) / 360.0 * side), 0), side - 1)
        sine = math.sin(math.radians(lat))
        y_share = 0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)
        y = min(max(math.floor(y_share * side), 0), side - 1)
        return cls(z, x, y)

    @cached_property
    def lon_edges(self) -> tuple[float, ...]:
        """The ``CELLS + 1`` meridians of the tile's cells, west to east."""
        count = 2**self.z * CELLS
        return tuple(edge_lon(self.x * CELLS + i, count) for i in range(CELLS + 1))

    @cached_property
    def lat_edges(self) -> tuple[float, ...]:
        """The ``CELLS + 1`` parallels of the tile's cells, north to south."""
        count = 2**self.z * CELLS
        return tuple(edge_lat(self.y * CELLS + i, count) for i in range(CELLS + 1))

    @property
    def west(self) -> float:
        return self.lon_edges[0]

    @property
    def east(self) -> float:
        return self.lon_edges[-1]

    @property
    def north(self) -> float:
        return self.lat_edges[0]

    @property
    def south(self) -> float:
        return self.lat_edges[-1]

    def holds(self, lat: float, lon: float) -> bool:
        """Whether the point lies in this tile (west and north edges in, east and south out)."""
        return self.west <= lon < self.east and self.south < lat <= self.north

    def cell_of(self, lat: float, lon: float) -> int:
        """The cell of a point of the tile, ``row * CELLS + column`` from the north-west corner.

        The database counts the same with one comparison per inner edge (``map_tiles``).
        """
        column = sum(lon >= edge for edge in self.lon_edges[1:-1])
        row = sum(lat <= edge for edge in self.lat_edges[1:-1])
        return row * CELLS + column

    def meets(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> bool:
        """Whether the tile and a box (edges included) share any point."""
        return self.west <= max_lon and min_lon < self.east and self.south < max_lat and min_lat <= self.north
