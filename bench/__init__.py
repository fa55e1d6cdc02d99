"""Benchmarks of CoCreate: scripts run by hand, not part of the test suite."""
