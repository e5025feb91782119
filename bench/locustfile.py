"""The load test scenario (bench/bench_load_test.py runs it headless against gunicorn).

Each simulated user signs in as one bench account (password, then the code its
authenticator shows now), then, with 1-3 seconds between actions, mixes what staff do
most: open a child's page, look at the list of children missing now, search by name,
record an observation and (roles that may) report a child missing. /healthz is asked
now and then as the baseline: the cheapest request through the same server.

Users are locust's FastHttpUser (geventhttpclient): locust runs on the machine it
measures, and this client spends a fraction of the CPU the requests-based HttpUser
spends on each request, CPU the server under test would otherwise lose. It does not
follow redirects here: each answer is checked as it comes (a redirect to the sign-in
page is a failure).

The figures count from the moment every user has signed in (the statistics are reset
then), so fifty Argon2 password checks at once do not colour the page figures; sign-in
failures are counted apart and written with the measured window to BENCH_LOCUST_OUT.

Configuration: BENCH_LOCUST_CONFIG names a JSON file written by bench_load_test.py
({"users": [...], "codes": [...], "names": [...]}); no Django import here."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

# locust puts bench/ on the path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.totp_codes import totp

CONFIG: dict[str, Any] = json.loads(open(os.environ["BENCH_LOCUST_CONFIG"]).read())  # noqa: SIM115
NEXT_ACCOUNT = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The first message of a GOV.UK error summary: why a form was not saved.
FORM_ERROR = re.compile(r'govuk-error-summary__list">\s*<li><a href="[^"]*">([^<]+)</a>')
UK = ZoneInfo("Europe/London")
SIGN_INS = {"done": 0, "failed": 0, "measured_from": 0.0}


@events.test_stop.add_listener
def _write_outcome(**kwargs: Any) -> None:
    with open(os.environ["BENCH_LOCUST_OUT"], "w") as handle:
        json.dump({**SIGN_INS, "measured_to": time.time()}, handle)


def _location(response: Any) -> str:
    """Where a redirect sends the user ("" when the answer is not a redirect)."""
    return str(response.headers.get("Location") or "")


def _csrf_from(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class StaffUser(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        users = CONFIG["users"]
        self.account = users[next(NEXT_ACCOUNT) % len(users)]
        self.rng = random.Random(self.account["email"])
        self.to_report = list(self.account["to_report_missing"])
        if self._sign_in():
            SIGN_INS["done"] += 1
        else:
            SIGN_INS["failed"] += 1
        runner = self.environment.runner
        if runner and SIGN_INS["done"] + SIGN_INS["failed"] == runner.target_user_count:
            self.environment.stats.reset_all()
            SIGN_INS["measured_from"] = time.time()

    def _sign_in(self) -> bool:
        page = self.client.get("/sign-in/", name="sign-in")
        response = self.client.post(
            "/sign-in/",
            data={
                "csrfmiddlewaretoken": _csrf_from(page.text or ""),
                "email": self.account["email"],
                "password": self.account["password"],
            },
            name="sign-in",
            allow_redirects=False,
        )
        if "/sign-in/code/" not in _location(response):
            return False
        page = self.client.get(_location(response), name="sign-in code")
        response = self.client.post(
            "/sign-in/code/",
            data={
                "csrfmiddlewaretoken": _csrf_from(page.text or ""),
                "code": totp(self.account["totp_key"]),
            },
            name="sign-in code",
            allow_redirects=False,
        )
        return response.status_code == 302 and "/sign-in" not in _location(response)

    def _csrf_cookie(self) -> str:
        cookies = self.client.cookiejar
        return next((c.value or "" for c in cookies if c.name == "clearsight_csrf"), "")

    def _get(self, path: str, name: str, **kwargs: Any) -> None:
        """A page, failed when it is an error or a redirect to the sign-in page instead."""
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code == 0:
                # No answer at all (a connection reset, say): an error, not a crash.
                response.failure(f"no response: {response.error}")
            elif response.status_code != 200:
                where = _location(response)
                response.failure(
                    "sent to the sign-in page"
                    if "/sign-in" in where
                    else f"expected the page, got {response.status_code}"
                )

    def _child(self) -> int:
        return int(self.rng.choice(self.account["children"]))

    def _post(self, path: str, data: dict[str, Any], name: str) -> None:
        data = {"csrfmiddlewaretoken": self._csrf_cookie(), **data}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or "/sign-in" in _location(response):
                error = FORM_ERROR.search(response.text or "")
                response.failure(
                    f"expected a redirect after saving, got {response.status_code}"
                    + (f" ({error.group(1).strip()})" if error else "")
                )

    @task(8)
    def view_child(self) -> None:
        self._get(f"/people/{self._child()}/", "child page /people/<id>/")

    @task(3)
    def list_missing_now(self) -> None:
        self._get("/missing/", "list page /missing/")

    @task(3)
    def search(self) -> None:
        given, family = self.rng.choice(CONFIG["names"])
        self._get("/people/", "search /people/?text=", params={"text": f"{given} {family[:-1]}"})

    @task(2)
    def add_observation(self) -> None:
        child = self._child()
        self._get(f"/people/{child}/observations/new/", "observation form")
        today = datetime.now(UK).date()
        self._post(
            f"/people/{child}/observations/new/",
            {
                "codes": self.rng.choice(CONFIG["codes"]),
                "seen_on_day": today.day,
                "seen_on_month": today.month,
                "seen_on_year": today.year,
                "confidence": self.rng.randint(1, 5),
                "note": "Seen with older teenagers after school (load test)",
            },
            "add observation (POST)",
        )

    @task(1)
    def report_missing(self) -> None:
        if not self.to_report:
            return
        child = self.to_report.pop()
        last_seen = datetime.now(UK) - timedelta(minutes=10)
        self._post(
            f"/missing/report/{child}/",
            {
                "last_seen_day": last_seen.day,
                "last_seen_month": last_seen.month,
                "last_seen_year": last_seen.year,
                "time": last_seen.strftime("%H:%M"),
                "kind": "M",  # SSDA903 code for missing
                "last_seen_place": "Bus station, Market Street",
                "clothing": "Black puffer jacket",
            },
            "record missing episode (POST)",
        )

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="baseline /healthz")
