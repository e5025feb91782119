"""A larger statistics sample for the observations' person column: as for the missing
episodes (missing/migrations/0008_person_statistics.py), PostgreSQL counted 55,912
distinct children among 5,000,000 observations at national scale where there are
334,555, and planned one child's observations for many times the rows they have
(decision 0015)."""

from django.db import migrations

TARGET = 1000


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_screening_fewer_indexes")]

    operations = [
        migrations.RunSQL(
            [
                f"ALTER TABLE risk_observation ALTER COLUMN person_id SET STATISTICS {TARGET}",
                "ANALYZE risk_observation (person_id)",
            ],
            reverse_sql=[
                "ALTER TABLE risk_observation ALTER COLUMN person_id SET STATISTICS -1",
            ],
        )
    ]
