"""Test configuration and cross-app tests."""
