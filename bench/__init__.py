"""Kefu's reproducible benchmark suite (``kefu bench``): a bulk seeder and an HTTP runner (BENCHMARKS.md)."""
