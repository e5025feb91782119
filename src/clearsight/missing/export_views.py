"""The missing children coordinator's figures page and the SSDA903 MISSING and Ofsted
Annex A downloads. Each download is checked against the DfE rules first and audited with
the coordinator's reason, like the data protection officer's audit export."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clearsight.access.decorators import get_actor, requires
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.forms import GovukDateField, GovukForm
from clearsight.missing import figures as selectors
from clearsight.missing import ssda903

LONGEST_PERIOD = timedelta(days=3 * 366)


class PeriodForm(GovukForm):
    """A date range; months are counted by the date the child returned."""

    from_on = GovukDateField(
        label="From", error_name="The start date", help_text="For example, 1 4 2026"
    )
    to_on = GovukDateField(
        label="To", error_name="The end date", help_text="For example, 31 3 2027"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from_on, to_on = data.get("from_on"), data.get("to_on")
        if from_on and from_on > timezone.localdate():
            self.add_error("from_on", "The start date must be today or in the past")
        if from_on and to_on:
            if to_on < from_on:
                self.add_error("to_on", "The end date must be on or after the start date")
            elif to_on - from_on > LONGEST_PERIOD:
                self.add_error("to_on", "Choose a period of 3 years or less")
        return data


class ExportForm(GovukForm):
    reason = forms.CharField(
        label="Why are you downloading these records?",
        help_text="The download and your reason are recorded in the audit log.",
        max_length=500,
        error_messages={"required": "Enter why you are downloading these records"},
    )
    download_with_errors = forms.BooleanField(
        label="I understand the file breaks the rules listed above; download it anyway",
        required=False,
    )


def _iso(from_on: date, to_on: date) -> dict[str, str]:
    return {"from_on": from_on.isoformat(), "to_on": to_on.isoformat()}


def _last_twelve_months() -> dict[str, str]:
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return _iso(first, today)


def _collection_year() -> dict[str, str]:
    """The SSDA903 collection year (1 April to 31 March) that today falls in."""
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    return _iso(date(year, 4, 1), date(year + 1, 3, 31))


def _period_form(data: Any, default: Callable[[], dict[str, str]]) -> PeriodForm:
    # The period typed in the boxes (from_on_day...), or given whole by a link (from_on=).
    asked = any(key == "from_on" or key.startswith("from_on_") for key in data)
    return PeriodForm(data if asked else default())


def _period(form: PeriodForm) -> tuple[date, date] | None:
    if not form.is_valid():
        return None
    return form.cleaned_data["from_on"], form.cleaned_data["to_on"]


@requires(Capability.COORDINATE_MISSING)
def figures(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = _period_form(request.GET, _last_twelve_months)
    period = _period(form)
    result = None
    if period is not None:
        result = selectors.missing_figures(actor=actor, from_on=period[0], to_on=period[1])
        # The figures are counts, but the overdue list names children.
        audit.record(
            action="missing.figures_viewed",
            actor=actor,
            details={
                "from_on": period[0].isoformat(),
                "to_on": period[1].isoformat(),
                "result_person_ids": [rhi.episode.person_id for rhi in result.overdue],
            },
        )
    context = {"form": form, "figures": result, "now": timezone.now()}
    return render(request, "missing/figures.html", context, status=200 if period else 400)


EXPORTS: dict[str, dict[str, Any]] = {
    "ssda903": {
        "title": "SSDA903 MISSING table",
        "columns": ssda903.MISSING_COLUMNS,
        "rows": selectors.ssda903_rows,
        "validate": ssda903.validate_missing,
        "default_period": _collection_year,
        "url_name": "missing:export-ssda903",
    },
    "annex-a": {
        "title": "Ofsted Annex A: missing children",
        "columns": ssda903.ANNEX_A_COLUMNS,
        "rows": selectors.annex_a_rows,
        "validate": ssda903.validate_annex_a,
        "default_period": _last_twelve_months,
        "url_name": "missing:export-annex-a",
    },
}


def _csv(kind: str, columns: Sequence[str], table: list[dict[str, str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="clearsight-{kind}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in table:
        writer.writerow([ssda903.spreadsheet_safe(row[column]) for column in columns])
    return response


@requires(Capability.COORDINATE_MISSING)
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """Check the rows against the rules; download them (audited, with a reason) when
    they pass, or when the coordinator confirms they want them with the errors."""
    actor = get_actor(request)
    spec = EXPORTS[kind]
    posted = request.method == "POST"
    period_form = _period_form(request.POST if posted else request.GET, spec["default_period"])
    form = ExportForm(request.POST if posted else None)
    period = _period(period_form)
    if period is None:
        context = {"period_form": period_form, "form": form, "kind": kind, "spec": spec}
        return render(request, "missing/export.html", context, status=400)
    from_on, to_on = period
    found = spec["rows"](actor=actor, from_on=from_on, to_on=to_on)
    table = [row.cells() for row in found.rows]
    errors = spec["validate"](table, collection_start=from_on, collection_end=to_on)
    details = {
        "export": kind,
        "from_on": from_on.isoformat(),
        "to_on": to_on.isoformat(),
        "rows": len(table),
        "errors": len(errors),
    }
    if posted and form.is_valid():
        if errors and not form.cleaned_data["download_with_errors"]:
            form.add_error(
                "download_with_errors",
                "The file breaks the rules listed: confirm you want to download it anyway",
            )
        else:
            audit.record(
                action="missing.exported",
                actor=actor,
                reason=form.cleaned_data["reason"],
                details={**details, "result_person_ids": sorted(set(found.person_ids))},
            )
            return _csv(kind, spec["columns"], table)
    # The rule errors name children by their identifier, so showing them is audited.
    audit.record(
        action="missing.export_checked",
        actor=actor,
        details={
            **details,
            "result_person_ids": sorted(
                {found.person_ids[e.line - ssda903.FIRST_LINE] for e in errors}
            ),
        },
    )
    context = {
        "period_form": period_form,
        "form": form,
        "kind": kind,
        "spec": spec,
        "errors": [(e, table[e.line - ssda903.FIRST_LINE]["CHILD"]) for e in errors],
        "row_count": len(table),
        "period": period,
    }
    return render(request, "missing/export.html", context, status=400 if posted else 200)
