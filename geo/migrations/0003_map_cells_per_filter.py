"""Map cells per filter (theme, status, area, project), so filtered map views read
pre-aggregated cells too. The cells are recomputed from the initiatives."""

from django.db import migrations, models


def rebuild_cells(apps, schema_editor):
    from geo.clustering import cells_rebuild

    cells_rebuild(initiative_model=apps.get_model("geo", "Initiative"), cell_model=apps.get_model("geo", "MapCell"))


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_moderators_group'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='mapcell',
            name='geo_mapcell_unique',
        ),
        migrations.AddField(
            model_name='mapcell',
            name='dim',
            field=models.CharField(blank=True, default='', max_length=100),
        ),
        migrations.AddConstraint(
            model_name='mapcell',
            constraint=models.UniqueConstraint(fields=('dim', 'level', 'cy', 'cx'), name='geo_mapcell_dim_unique'),
        ),
        migrations.RunPython(rebuild_cells, migrations.RunPython.noop),
    ]
