# The (indicator, year) index loses sex and age group: no query reads them from it, and each indexed
# column costs on every loaded row (issue #3; see the comment on Observation.Meta.indexes).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_uploads"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="observation",
            name="obs_indicator_year_idx",
        ),
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["indicator", "year"], name="obs_indicator_year_idx"),
        ),
    ]
