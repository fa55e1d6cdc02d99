"""The data dictionary in docs/open-data.md lists the columns the datasets define, in their order."""

import re
from pathlib import Path

from opendata.datasets import DATASETS

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def documented_columns() -> dict[str, list[tuple[str, str]]]:
    """Each dataset section's table, as (column, type) pairs."""
    sections = re.split(r"^### ", DOC.read_text(), flags=re.MULTILINE)[1:]
    tables = {}
    for section in sections:
        name = re.match(r"`(\w+)`", section)
        if name:
            table = section.split("\n## ", 1)[0]  # the last one ends where the next chapter starts
            tables[name.group(1)] = re.findall(r"^\| `(\w+)` \| (\w+) \|", table, flags=re.MULTILINE)
    return tables


def test_the_documented_dictionary_names_every_column_of_every_dataset_with_its_type():
    defined = {name: [(column.name, column.type) for column in dataset.columns] for name, dataset in DATASETS.items()}

    assert documented_columns() == defined
