"""Project URL wiring only: each app owns its own patterns."""

from django.urls import include, path

from clearsight.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("", include("clearsight.core.urls")),
    path("", include("clearsight.accounts.urls")),
    path("people/", include("clearsight.people.urls")),
    path("", include("clearsight.risk.urls")),
    path("imports/", include("clearsight.imports.urls")),
    path("missing/", include("clearsight.missing.urls")),
    path("audit/", include("clearsight.audit.urls")),
    path("notifications/", include("clearsight.notifications.urls")),
    path("", include("clearsight.cases.urls")),
    path("", include("clearsight.concerns.urls")),
    path("intel/", include("clearsight.intel.urls")),
    path("", include("clearsight.contexts.urls")),
    path("api/", include(("clearsight.api_urls", "api"))),
]

handler400 = "clearsight.core.views.bad_request"
handler403 = "clearsight.core.views.permission_denied"
handler404 = "clearsight.core.views.page_not_found"
handler500 = "clearsight.core.views.server_error"
