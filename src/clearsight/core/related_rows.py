"""Read an object's related lists in the same query as the object.

`prefetch_related` costs one query per list. The child page shows five lists of the
person (identifiers, addresses, other names, phones, the agencies that know them), so
it made six queries where one will do: each list is read as a JSON array in a column of
the person's own row (`related_rows`), then handed to Django's related managers as if
prefetched (`attach`), so `person.addresses.all` works unchanged wherever it is used.
Every concrete field of the related model is read, so the objects are whole.

The lists' SQL is written once per process from the models' metadata, not built and
compiled by the ORM on every request: the five subqueries were a sixth of the child
page's CPU, most of it compiling the same SQL again."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    ForeignObjectRel,
    JSONField,
    ManyToManyField,
    Model,
)
from django.db.models.expressions import RawSQL


def _quote(name: object) -> str:
    return '"' + str(name).replace('"', '""') + '"'


@functools.cache
def _rows_sql(model: type[Model], relation: str, order: tuple[str, ...]) -> str:
    """``model``'s ``relation`` (a reverse foreign key or a many-to-many field) for the
    row of the outer query, as an array of JSON objects of the related model's
    concrete fields (attname: value), in ``order`` (field names, "-" for descending)."""
    field: Any = model._meta.get_field(relation)
    related: Any = field.related_model
    outer = f"{_quote(model._meta.db_table)}.{_quote(model._meta.pk.column)}"
    source = f"{_quote(related._meta.db_table)} r"
    if isinstance(field, ManyToManyField):
        through: Any = field.remote_field.through
        source += (
            f" JOIN {_quote(through._meta.db_table)} t ON t.{_quote(field.m2m_reverse_name())}"
            f" = r.{_quote(related._meta.pk.column)}"
        )
        where = f"t.{_quote(field.m2m_column_name())} = {outer}"
    else:
        assert isinstance(field, ForeignObjectRel)
        where = f"r.{_quote(field.field.column)} = {outer}"
    values = ", ".join(
        f"'{f.attname}', r.{_quote(f.column)}" for f in related._meta.concrete_fields
    )

    def column(name: str) -> str:
        field = related._meta.pk if name == "pk" else related._meta.get_field(name)
        return f"r.{_quote(field.column)}"

    ordering = ", ".join(
        f"{column(name[1:])} DESC" if name.startswith("-") else column(name) for name in order
    )
    select = f"SELECT jsonb_build_object({values}) FROM {source}"  # noqa: S608
    return f"ARRAY({select} WHERE {where} ORDER BY {ordering})"


def related_rows(model: type[Model], relation: str, order: Sequence[str]) -> RawSQL:
    """An annotation for a query of ``model``: the rows of its ``relation`` in
    ``order``, each as a JSON object of the related model's concrete fields."""
    return RawSQL(  # noqa: S611 - SQL from the models' metadata only, no parameters
        _rows_sql(model, relation, tuple(order)), (), output_field=ArrayField(JSONField())
    )


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
