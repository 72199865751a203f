"""Carrying out adopted initiatives: who, by when, how far (the accountability overview)."""

from django.db import migrations, models


def done_when_carried_out(apps, schema_editor):
    # An initiative already "uitgevoerd" has been carried out: its execution is done.
    apps.get_model("geo", "Initiative").objects.filter(status="uitgevoerd").update(execution_status="gedaan")


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0003_map_cells_per_filter'),
    ]

    operations = [
        migrations.AddField(
            model_name='initiative',
            name='due_date',
            field=models.DateField(blank=True, null=True, verbose_name='klaar op'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='execution_status',
            field=models.CharField(choices=[('open', 'Open'), ('bezig', 'Bezig'), ('gedaan', 'Gedaan'), ('vervallen', 'Vervallen')], default='open', max_length=10, verbose_name='stand van de uitvoering'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='execution_updated_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='uitvoering bijgewerkt op'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='progress_note',
            field=models.CharField(blank=True, max_length=300, verbose_name='toelichting voortgang'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='responsible',
            field=models.CharField(blank=True, max_length=200, verbose_name='wie voert het uit'),
        ),
        migrations.RunPython(done_when_carried_out, migrations.RunPython.noop),
    ]
