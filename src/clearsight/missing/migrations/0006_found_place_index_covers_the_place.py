# The places-of-concern index carries found_place, so that PostgreSQL answers the child
# page's lower(trim(found_place)) look-ups from the index alone (see MissingEpisode.Meta).

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("missing", "0005_child_first_in_the_overlap_constraint"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="missingepisode",
            name="episode_found_place",
        ),
        migrations.AddIndex(
            model_name="missingepisode",
            index=models.Index(
                django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Trim("found_place")
                ),
                models.F("person"),
                include=("found_place",),
                name="episode_found_place",
            ),
        ),
    ]
