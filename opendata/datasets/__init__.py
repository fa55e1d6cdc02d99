"""The open datasets: what each one holds, its data dictionary, and its rows.

One module per subject: ``reports`` (reports, their status changes, the service catalogue),
``proposals`` (proposals, supports per day), ``moderation`` (actions per month), ``operators``
(operators' performance, fleets, idle vehicles); ``definitions`` says what a column and a
dataset are. ``DATASETS`` lists them all, in the order of the page and the metadata.

Privacy by construction: each dataset names its columns one by one (nothing is exported by
default), reads only published content (the models' ``visible()``) older than the publication
cutoff, publishes free text only as its redacted copy (``cocreate.redaction.redact``, stored
by the owning app's actions beside the text), rounds the points of sensitive services, and
never reads a name, an email, a phone, an account id, an address or a client id.
"""

from __future__ import annotations

from opendata.datasets.definitions import Column, Dataset, moment
from opendata.datasets.moderation import MODERATION_MONTHLY
from opendata.datasets.operators import FLEET_DAILY, IDLE_VEHICLES, OPERATOR_PERFORMANCE
from opendata.datasets.proposals import PROPOSALS, SUPPORTS_DAILY
from opendata.datasets.reports import REPORT_UPDATES, REPORTS, SERVICES

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        REPORTS,
        REPORT_UPDATES,
        PROPOSALS,
        SUPPORTS_DAILY,
        SERVICES,
        MODERATION_MONTHLY,
        OPERATOR_PERFORMANCE,
        FLEET_DAILY,
        IDLE_VEHICLES,
    )
}

__all__ = [
    "DATASETS",
    "FLEET_DAILY",
    "IDLE_VEHICLES",
    "MODERATION_MONTHLY",
    "OPERATOR_PERFORMANCE",
    "PROPOSALS",
    "REPORTS",
    "REPORT_UPDATES",
    "SERVICES",
    "SUPPORTS_DAILY",
    "Column",
    "Dataset",
    "moment",
]
