# Fewer indexes on risk_screening (decision 0011): the (person, -created_at) index serves
# lookups by person, and only the few overridden rows need the user indexes. Written by
# hand: Django's AlterField(db_index=False) also drops the partial unique index
# screening_one_current on person, which must stay.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_search_by_area_and_adults"),
        ("risk", "0003_published_libraries_are_read_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        'DROP INDEX IF EXISTS "risk_screening_person_id_34a2383e"',
                        'DROP INDEX IF EXISTS "risk_screening_approved_by_id_50f51078"',
                        'DROP INDEX IF EXISTS "risk_screening_override_by_id_a257e878"',
                    ],
                    reverse_sql=[
                        'CREATE INDEX IF NOT EXISTS "risk_screening_person_id_34a2383e" '
                        'ON "risk_screening" ("person_id")',
                        'CREATE INDEX IF NOT EXISTS "risk_screening_approved_by_id_50f51078" '
                        'ON "risk_screening" ("approved_by_id")',
                        'CREATE INDEX IF NOT EXISTS "risk_screening_override_by_id_a257e878" '
                        'ON "risk_screening" ("override_by_id")',
                    ],
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="screening",
                    name="approved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="screening",
                    name="override_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="screening",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="screenings",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                condition=models.Q(("override_by__isnull", False)),
                fields=["override_by"],
                name="screening_override_by",
            ),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                condition=models.Q(("approved_by__isnull", False)),
                fields=["approved_by"],
                name="screening_approved_by",
            ),
        ),
    ]
