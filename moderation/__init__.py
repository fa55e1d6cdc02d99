"""Flags, the moderation queue and the audit log."""
