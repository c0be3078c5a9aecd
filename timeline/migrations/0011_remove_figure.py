from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0010_figures_become_observations"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Figure",
        ),
        migrations.DeleteModel(
            name="HistoricalFigure",
        ),
    ]
