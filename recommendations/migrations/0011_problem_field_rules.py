"""Default rules of the two indicators of students' results (results.md): teachers of a
school's problem subjects without a subject course, and the schools with problem fields. A
school letter reads the school-level rules of SCHOOLS_PROBLEM when the school has a problem
field of its own (`recommendations.findings`)."""

from django.db import migrations

A = "administration"
T = "teachers"
M = "method_office"
RED = "red"
YELLOW = "yellow"

RULES = [
    ("PD_PROBLEM_SUBJECT", RED, A,
     "Направить педагогов, преподающих предметы проблемных полей образовательной организации "
     "и не прошедших за три года повышение квалификации предметной направленности, на курсы "
     "предметной направленности; при выявленном предметном дефиците включить предметные задачи "
     "в их индивидуальные образовательные маршруты."),
    ("PD_PROBLEM_SUBJECT", YELLOW, A,
     "Запланировать на следующий учебный год повышение квалификации предметной направленности "
     "для педагогов предметов проблемных полей, ещё не прошедших его за три года."),
    ("PD_PROBLEM_SUBJECT", RED, M,
     "Включить в план-заказ на повышение квалификации программы предметной направленности по "
     "предметам проблемных полей образовательных организаций и организовать методическое "
     "сопровождение педагогов этих предметов."),
    ("SCHOOLS_PROBLEM", RED, A,
     "Рассмотреть результаты оценочных процедур по предметам проблемных полей на заседаниях "
     "методических объединений: определить причины неуспешности обучающихся и меры по их "
     "устранению, включить эти меры в план внутришкольного контроля."),
    ("SCHOOLS_PROBLEM", RED, T,
     "Учителям предметов проблемных полей: изучить типичные затруднения обучающихся по "
     "результатам ВПР, ОГЭ, ЕГЭ и НОКО и учесть их при планировании уроков и индивидуальной "
     "работы с обучающимися."),
    ("SCHOOLS_PROBLEM", RED, M,
     "Организовать адресную методическую поддержку образовательных организаций с проблемными "
     "полями: предметные семинары, взаимопосещение уроков, сетевое взаимодействие с "
     "организациями, где по этим предметам высокие результаты."),
]


def load(apps, schema_editor):
    Rule = apps.get_model("recommendations", "RecommendationRule")
    Rule.objects.bulk_create(
        Rule(indicator_id=code, trigger=trigger, audience=audience, text=text, order=i)
        for i, (code, trigger, audience, text) in enumerate(RULES, start=1)
    )


def unload(apps, schema_editor):
    apps.get_model("recommendations", "RecommendationRule").objects.filter(
        indicator_id__in={row[0] for row in RULES}
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_qualified_signature"),
        ("monitoring", "0007_problem_fields"),
    ]

    operations = [migrations.RunPython(load, unload)]
