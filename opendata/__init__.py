"""Open datasets, their metadata and snapshots."""
