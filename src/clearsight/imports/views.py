"""Upload page for area administrators, and the job page with its progress and report."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clearsight.access.decorators import get_actor, requires
from clearsight.access.policy import importable_agencies
from clearsight.access.roles import Capability
from clearsight.core.errors import InvalidInput
from clearsight.imports import selectors, services
from clearsight.imports.forms import ImportForm
from clearsight.imports.tasks import run_import


@requires(Capability.IMPORT_RECORDS)
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        agencies=importable_agencies(actor),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.max_bytes():
            form.add_error(
                "file",
                f"The file is {upload.size / 1024 / 1024:.0f} MB. The largest file you can "
                f"import is {settings.CLEARSIGHT_IMPORT_MAX_MB} MB: split it into smaller files.",
            )
        else:
            try:
                job = services.start_import(
                    actor=actor,
                    agency=form.cleaned_data["agency"],
                    file_name=upload.name,
                    content=upload.read(),
                    mode=form.cleaned_data["mode"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except InvalidInput as error:
                form.add_invalid_input(error.errors)
            else:
                transaction.on_commit(lambda: run_import.defer(job_id=job.pk))
                return redirect("imports:detail", pk=job.pk)
    context = {
        "form": form,
        "jobs": selectors.area_imports(actor=actor)[:20],
        "columns": services.csv_rows.COLUMNS,
    }
    return render(request, "imports/list.html", context, status=400 if form.errors else 200)


@requires(Capability.IMPORT_RECORDS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.area_imports(actor=get_actor(request)).filter(pk=pk).first()
    if job is None:
        raise Http404("No such import")
    template = (
        "imports/_progress.html" if request.headers.get("HX-Request") else "imports/detail.html"
    )
    return render(request, template, {"job": job})
