"""Benchmarks: synthetic fleets and the measurements reported in BENCHMARKS.md."""
