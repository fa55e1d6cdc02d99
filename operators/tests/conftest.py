"""Fixtures of the operators' tests: the local GBFS server."""

from operators.tests.gbfs_server import gbfs_server  # noqa: F401 (a fixture)
