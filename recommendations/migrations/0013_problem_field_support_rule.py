"""A default rule for the schools with a problem field of their own: the administration
supports the teachers of those subjects whom the letter's appendix names (subject courses,
mentoring, ИОМ). A school letter fires the school-level rules of SCHOOLS_PROBLEM on the
school's own problem fields (`recommendations.findings`)."""

from django.db import migrations

TEXT = (
    "Педагогам предметов проблемных полей, названным в приложении к письму ОО, обеспечить "
    "повышение квалификации предметной направленности, закрепить за ними наставников из числа "
    "учителей этих предметов с высокими результатами обучающихся и включить предметные задачи "
    "в их индивидуальные образовательные маршруты."
)
RULE = {
    "indicator_id": "SCHOOLS_PROBLEM",
    "trigger": "red",
    "audience": "administration",
    "text": TEXT,
}


def load(apps, schema_editor):
    Rule = apps.get_model("recommendations", "RecommendationRule")
    Rule.objects.create(order=7, **RULE)


def unload(apps, schema_editor):
    apps.get_model("recommendations", "RecommendationRule").objects.filter(**RULE).delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0012_letter_kind")]

    operations = [migrations.RunPython(load, unload)]
