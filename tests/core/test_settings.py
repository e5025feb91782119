"""Production mode refuses to start without the settings it cannot guess."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start_in_production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLEARSIGHT_")}
    environment.update({"CLEARSIGHT_MODE": "production", **env})
    return subprocess.run(
        [sys.executable, "-c", "import clearsight.settings"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"CLEARSIGHT_BASE_URL": "https://clearsight.example.org"}, "CLEARSIGHT_SECRET_KEY"),
        ({"CLEARSIGHT_SECRET_KEY": "x" * 50}, "CLEARSIGHT_BASE_URL"),
    ],
)
def test_production_needs_a_secret_key_and_base_url(env: dict[str, str], missing: str) -> None:
    result = start_in_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_both() -> None:
    result = start_in_production(
        CLEARSIGHT_SECRET_KEY="x" * 50, CLEARSIGHT_BASE_URL="https://clearsight.example.org"
    )
    assert result.returncode == 0, result.stderr
