"""The benchmark report (bench/harness.py) and the load test's authenticator codes."""

from __future__ import annotations

from pathlib import Path

from bench.dataset import Dataset, bench_database_url
from bench.harness import Result, write_report
from bench.totp_codes import totp
from django_otp.oath import TOTP

DATASET = Dataset(
    scale="area",
    persons=60_000,
    children=51_000,
    observations=300_000,
    episodes=120_000,
    rows=1_000_000,
    loaded_seconds=98.0,
    loaded_on="2026-11-23",
    loaded_now=False,
)


def _result(value: float, **kwargs: object) -> Result:
    options: dict[str, object] = {
        "benchmark": "Child page",
        "figure": "p95",
        "value": value,
        "unit": "ms",
        "baseline_name": "/healthz",
        "baseline_value": 10.0,
        "data_size": "50 users",
    }
    options.update(kwargs)
    return Result(**options)  # type: ignore[arg-type]


def test_a_figure_is_compared_with_its_target_in_the_right_direction() -> None:
    assert _result(120, target=150).passes.startswith("yes")
    assert _result(180, target=150).passes.startswith("NO")
    assert _result(20_000, target=16_667, lower_is_better=False).passes.startswith("yes")
    assert _result(120).passes == ""


def test_a_target_is_met_only_strictly_under_it_and_zero_means_none() -> None:
    assert _result(150, target=150).passes.startswith("NO")
    assert _result(0, target=0).passes == "yes (none)"
    assert _result(1, target=0).passes == "NO (none)"


def test_the_report_has_date_machine_data_size_and_ratio(tmp_path: Path) -> None:
    path = write_report(
        {"bench_pages": [_result(25.0)]}, dataset=DATASET, path=tmp_path / "benchmarks.md"
    )
    text = path.read_text()
    assert "- Written: " in text and "- Machine: " in text
    assert "60,000 persons" in text
    assert "| Child page | p95 | 25.00 ms | /healthz | 10.00 ms | 2.50 |" in text
    assert "(load " in text


def test_a_run_of_some_modules_keeps_the_other_modules_figures(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    write_report(
        {"bench_pages": [_result(25.0)], "bench_search": [_result(40.0, benchmark="Search")]},
        dataset=DATASET,
        path=path,
    )
    text = write_report({"bench_pages": [_result(30.0)]}, dataset=DATASET, path=path).read_text()
    assert "| Child page | p95 | 30.00 ms |" in text
    assert "| Child page | p95 | 25.00 ms |" not in text
    assert "| Search | p95 | 40.00 ms |" in text
    # Another scale starts afresh.
    other = DATASET.__class__(**{**DATASET.__dict__, "scale": "national"})
    text = write_report({"bench_pages": [_result(31.0)]}, dataset=other, path=path).read_text()
    assert "| Search |" not in text


def test_the_report_says_which_scale_the_figures_are_for(tmp_path: Path) -> None:
    text = write_report({}, dataset=DATASET, path=tmp_path / "b.md").read_text()
    assert "These figures are for the `area` scale" in text


def test_each_scale_has_its_own_database_on_the_same_server(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/clearsight")
    assert bench_database_url("area") == (
        "postgresql://postgres@127.0.0.1:5432/clearsight_bench_area"
    )


def test_the_load_test_codes_are_the_ones_django_otp_accepts() -> None:
    key = "3132333435363738393031323334353637383930"
    for at in (59, 1_111_111_109, 1_234_567_890, 2_000_000_000):
        expected = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        expected.time = at
        assert totp(key, at=at) == f"{expected.token():06d}"
