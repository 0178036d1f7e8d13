"""Each letter says what kind it is: a school's letter, the district letter «Руководителям ОО»
(until now, a letter without a school) or a course order to a provider (new, naming it).

Existing letters get their kind from their school; signed ones too, so the freezing triggers
of 0003 are dropped for the time of the migration and created again.
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

frozen = import_module("recommendations.migrations.0003_signed_letter_frozen")
BOTH_DROP = frozen._run({"sqlite": frozen.SQLITE_DROP, "postgresql": frozen.POSTGRESQL_DROP})
BOTH_CREATE = frozen._run({"sqlite": frozen.SQLITE, "postgresql": frozen.POSTGRESQL})


def kinds_from_schools(apps, schema_editor):
    letter_model = apps.get_model("recommendations", "Letter")
    letter_model.objects.filter(school__isnull=True).update(kind="district")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0006_deficit_map'),
        ('profdev', '0014_student_results_and_subjects'),
        ('recommendations', '0011_problem_field_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(BOTH_DROP, BOTH_CREATE),
        migrations.RemoveConstraint(
            model_name='letter',
            name='letter_one_per_school_and_year',
        ),
        migrations.RemoveConstraint(
            model_name='letter',
            name='letter_one_district_letter_per_year',
        ),
        migrations.AddField(
            model_name='letter',
            name='kind',
            field=models.CharField(choices=[('school', 'письмо ОО'), ('district', 'письмо «Руководителям ОО»'), ('course_order', 'план-заказ исполнителю')], default='school', max_length=20, verbose_name='вид письма'),
            preserve_default=False,
        ),
        migrations.RunPython(kinds_from_schools, migrations.RunPython.noop),
        migrations.AddField(
            model_name='letter',
            name='provider',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='letters', to='profdev.provider', verbose_name='организация ДПО'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'school')), fields=('monitoring_year', 'school'), name='letter_one_per_school_and_year'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'district')), fields=('monitoring_year',), name='letter_one_district_letter_per_year'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'course_order')), fields=('monitoring_year', 'provider'), name='letter_one_course_order_per_provider_and_year'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'school'), ('provider__isnull', True), ('school__isnull', False)), models.Q(('kind', 'district'), ('provider__isnull', True), ('school__isnull', True)), models.Q(('kind', 'course_order'), ('provider__isnull', False), ('school__isnull', True)), _connector='OR'), name='letter_addressee_of_its_kind'),
        ),
        migrations.RunPython(BOTH_CREATE, BOTH_DROP),
    ]
