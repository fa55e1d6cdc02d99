"""The city's service catalogue and the problems citizens report (filled by the reporting work)."""
