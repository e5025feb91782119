from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from clearsight.access.navigation import items_for


def service(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    nav = []
    for item in items_for(actor):
        url = reverse(item.url_name)
        is_current = request.path == url or (url != "/" and request.path.startswith(url))
        nav.append({"label": item.label, "url": url, "is_current": is_current})
    return {
        "actor": actor,
        "actor_can_switch": getattr(request, "actor_can_switch", False),
        "nav_items": nav,
        "demo_mode": settings.DEMO_MODE,
    }
