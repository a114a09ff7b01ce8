"""Tests of drift.ingest."""
