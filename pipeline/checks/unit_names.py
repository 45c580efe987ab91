"""Comparing units' names (`pipeline.names`, where the rules live: the seal stage compares names too and must
not import the checks)."""

from pipeline.names import GARBLED_SHARE, garbled_reading_of, garbled_ring_reading_of, name_key, name_score

__all__ = ["GARBLED_SHARE", "garbled_reading_of", "garbled_ring_reading_of", "name_key", "name_score"]
