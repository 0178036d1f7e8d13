"""Each catalogue row says how letters present it (the people behind a school's figure, the
conclusion of a district-only count), and the computation stores the people and the schools
behind its figures.

The phrases are shipped data, like the catalogue itself (0002). A year computed before this
migration names no one until it is computed again.
"""

import django.db.models.deletion
from django.db import migrations, models

PK = "Не проходили ПК"

# Where a school can act on a person: how a letter introduces those missing from the numerator.
PEOPLE_PHRASES = {
    "DIAG": "Не прошли диагностику профессиональных дефицитов",
    "DIAG_MGR": "Руководящие работники, не прошедшие диагностику профессиональных дефицитов",
    "IOM": "Рекомендуется разработать индивидуальный образовательный маршрут",
    "PD_3Y": "Не проходили повышение квалификации в течение трёх лет",
    "PD_REGION": "Не освоили программы ПК в организациях региона в текущем учебном году",
    "RETRAIN_NONPED": "Не прошли переподготовку педагогической направленности",
    "DPO_NOPROF": "Педагоги без профессионального образования, не освоившие программы ДПО",
    "PD_T_ASSESS": f"{PK} по вопросам оценки качества образования за три года",
    "PD_T_TALENT": f"{PK} по вопросам выявления и развития способностей и талантов",
    "PD_T_CAREER": f"{PK} по вопросам профессиональной ориентации обучающихся",
    "PD_T_UPBRING": f"{PK} по вопросам организации воспитания обучающихся",
    "PD_T_PRESCHOOL": f"{PK} по вопросам качества дошкольного образования",
    "PD_T_FEDERAL": f"{PK} в рамках приоритетных федеральных программ",
    "PD_LOWRES": "Не прошли повышение квалификации в текущем учебном году",
    "ATTEST": "Не имеют действующей квалификационной категории",
    "MENTOR_YOUNG": "Молодые педагоги, за которыми не закреплён наставник",
    "BURNOUT_DIAG": "Не прошли диагностику профессионального выгорания",
}
DISTRICT_PHRASES = {
    "SCHOOLS_NO_IOM": "Не разработаны индивидуальные образовательные маршруты в {n} ОО",
    "SCHOOLS_VACANCY": "Кадровый дефицит в {n} ОО",
}


def load_phrases(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for code, phrase in PEOPLE_PHRASES.items():
        Indicator.objects.filter(code=code).update(people_phrase=phrase)
    for code, phrase in DISTRICT_PHRASES.items():
        Indicator.objects.filter(code=code).update(district_phrase=phrase)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_unique_with_null_rows'),
        ('profdev', '0011_person_last_district'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicator',
            name='district_phrase',
            field=models.CharField(blank=True, help_text='Для показателя только по муниципалитету: вывод письма, {n} — число ОО', max_length=200, verbose_name='вывод по муниципалитету'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='people_phrase',
            field=models.CharField(blank=True, help_text='Как письмо вводит работников, не учтённых в числителе; пусто — работники не называются', max_length=200, verbose_name='о поимённом списке'),
        ),
        migrations.CreateModel(
            name='CountedSchool',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='monitoring.indicator')),
                ('monitoring_year', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='counted_schools', to='monitoring.monitoringyear')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='profdev.school')),
            ],
            options={
                'verbose_name': 'ОО, учтённая в показателе муниципалитета',
                'verbose_name_plural': 'ОО, учтённые в показателях муниципалитета',
                'constraints': [models.UniqueConstraint(fields=('monitoring_year', 'indicator', 'school'), name='counted_school_unique')],
            },
        ),
        migrations.CreateModel(
            name='MissingPerson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicators', models.TextField(verbose_name='не учтён в показателях')),
                ('monitoring_year', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='missing_people', to='monitoring.monitoringyear', verbose_name='мониторинг')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='missing_from_indicators', to='profdev.person', verbose_name='работник')),
                ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='profdev.school', verbose_name='ОО')),
            ],
            options={
                'verbose_name': 'работник в поимённом списке показателей',
                'verbose_name_plural': 'поимённые списки мониторинга',
                'constraints': [models.UniqueConstraint(fields=('monitoring_year', 'school', 'person'), name='missing_person_unique')],
            },
        ),
        migrations.RunPython(load_phrases, migrations.RunPython.noop),
    ]
