"""The load test's report of why requests failed (bench/bench_load_test.py)."""

from __future__ import annotations

from pathlib import Path

from bench.bench_load_test import _failure_reasons


def test_failures_are_reported_most_frequent_first_without_addresses(tmp_path: Path) -> None:
    stats = tmp_path / "locust_stats.csv"
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences\n"
        "GET,search /people/?text=,"
        "\"HTTPError('500 Server Error: Internal Server Error"
        " for url: /people/?text=Ava%20Smit')\",1\n"
        'GET,child page /people/<id>/,"no response: ConnectionResetError(104)",3\n'
    )
    assert _failure_reasons(stats) == [
        "3 x child page /people/<id>/: no response: ConnectionResetError(104)",
        "1 x search /people/?text=: HTTPError('500 Server Error: Internal Server Error')",
    ]


def test_no_failures_file_means_no_reasons(tmp_path: Path) -> None:
    assert _failure_reasons(tmp_path / "locust_stats.csv") == []
