"""Read an object's related lists in the same query as the object.

`prefetch_related` costs one query per list. The child page shows five lists of the
person (identifiers, addresses, other names, phones, the agencies that know them), so
it made six queries where one will do: each list is read as a JSON array in a column of
the person's own row (`related_rows`), then handed to Django's related managers as if
prefetched (`attach`), so `person.addresses.all` works unchanged wherever it is used.
Every concrete field of the related model is read, so the objects are whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Model, QuerySet
from django.db.models.functions import JSONObject


def related_rows(queryset: QuerySet[Any], order: Sequence[str]) -> ArraySubquery:
    """An annotation: the rows of ``queryset`` (filtered on an OuterRef to the outer
    object) in ``order``, each as a JSON object of its concrete fields."""
    fields = {f.attname: F(f.attname) for f in queryset.model._meta.concrete_fields}
    return ArraySubquery(queryset.order_by(*order).values(row=JSONObject(**fields)))


def attach(instance: Model, name: str, model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Give ``instance.<name>`` (a related manager) the objects made from ``rows``, as
    ``prefetch_related`` does, so that ``.all()`` reads no more from the database."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    objects = []
    for row in rows:
        obj = model(**{key: fields[key].to_python(value) for key, value in row.items()})
        obj._state.adding = False
        obj._state.db = instance._state.db
        objects.append(obj)
    # The same three attributes Django's prefetch_related sets (prefetch_one_level).
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    instance._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]
