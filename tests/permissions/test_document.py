"""docs/permissions.md shows the matrix the tests hold: what the code does, with each discrepancy marked."""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.permissions import DISCREPANCIES, MATRIX, ROLES, TESTED, outcome_today

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def documented_table() -> list[list[str]]:
    """The rows of the table under "## The matrix", header first, each as its cells."""
    section = DOCUMENT.read_text(encoding="utf-8").split("## The matrix", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows if set("".join(row)) - set("- ")]


def cell_today(action: str, role: str) -> str:
    discrepancy = DISCREPANCIES.get((action, role))
    return outcome_today(action, role) + (f" ⚠{discrepancy.ref}" if discrepancy else "")


def test_the_documented_matrix_is_what_the_code_does():
    header, *rows = documented_table()

    assert header == ["Action", *(role.capitalize() for role in ROLES)]
    assert rows == [[action.label, *(cell_today(key, role) for role in ROLES)] for key, action in MATRIX.items()]


def test_every_discrepancy_is_explained_in_the_document():
    text = DOCUMENT.read_text(encoding="utf-8")

    for discrepancy in DISCREPANCIES.values():
        assert f"- **{discrepancy.ref}." in text


def test_every_row_of_the_matrix_has_its_test():
    for module in Path(__file__).parent.glob("test_*.py"):
        importlib.import_module(f"tests.permissions.{module.stem}")

    assert set(MATRIX) == TESTED
