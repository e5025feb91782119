# The live board reads each child's open episode, with the columns it shows, from an index
# of open episodes by child (see MissingEpisode.Meta).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("missing", "0006_found_place_index_covers_the_place"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="missingepisode",
            index=models.Index(
                condition=models.Q(("ended_at__isnull", True)),
                fields=["person"],
                include=(
                    "id",
                    "started_at",
                    "kind",
                    "last_seen_place",
                    "risk_grading",
                    "reporting_membership",
                ),
                name="open_episode_of_child",
            ),
        ),
    ]
