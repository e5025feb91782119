"""Clearsight benchmarks: `make bench` runs every module here and rewrites
docs/benchmarks.md. Baselines are measured in the same run, never copied."""
