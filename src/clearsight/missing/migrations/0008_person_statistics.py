"""A larger statistics sample for the episodes' person column.

The child page reads one child's episodes by person_id. With the default sample
(300 x 100 rows) PostgreSQL counted 23,005 distinct children among 2,000,000 episodes at
national scale, where there are 89,877: repeat missing is concentrated in a few
children, and a small sample sees them again and again. It then expected 83 episodes
for any child and hash-joined the whole staff list to them, 3.3 ms for a child with one
episode; with a sample of 1,000 x 300 rows it estimates 59,582 and joins by index in
0.14 ms (decision 0015)."""

from django.db import migrations

TARGET = 1000


class Migration(migrations.Migration):
    dependencies = [("missing", "0007_open_episode_of_child")]

    operations = [
        migrations.RunSQL(
            [
                "ALTER TABLE missing_missingepisode ALTER COLUMN person_id "
                f"SET STATISTICS {TARGET}",
                "ANALYZE missing_missingepisode (person_id)",
            ],
            reverse_sql=[
                "ALTER TABLE missing_missingepisode ALTER COLUMN person_id SET STATISTICS -1",
            ],
        )
    ]
