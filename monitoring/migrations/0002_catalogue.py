"""The indicator catalogue (indicators.md, version 2) as shipped data.

The formulas live in `monitoring/indicators.py`; names, groups, directions, kinds and
default targets are data a deployment may read and a methodologist may override per year.
"""

from decimal import Decimal

from django.db import migrations

DIAGNOSTICS = "Диагностика и ИОМ"
TRAINING = "Повышение квалификации"
TOPICS = "Тематика повышения квалификации"
CAREER = "Категории и профессиональная активность"
STAFF = "Наставничество и кадровый состав"
BURNOUT = "Профессиональное выгорание"
SHORTAGE = "Кадровый дефицит"

PK = "Доля педагогов, прошедших ПК"

# code, name, short name, group, direction, kind, district only, default target
CATALOGUE = [
    ("DIAG", "Доля педагогов, прошедших диагностику профессиональных дефицитов",
     "Диагностика педагогов", DIAGNOSTICS, "up", "share", False, 80),
    ("DIAG_MGR", "Доля руководящих работников, прошедших диагностику профессиональных дефицитов",
     "Диагностика руководителей", DIAGNOSTICS, "up", "share", False, 80),
    ("DEFICIT", "Доля педагогов с выявленными профессиональными дефицитами",
     "Выявлены дефициты", DIAGNOSTICS, "down", "share", False, None),
    ("IOM", "Доля педагогов с выявленными дефицитами, работающих по ИОМ",
     "ИОМ при дефицитах", DIAGNOSTICS, "up", "share", False, 100),
    ("IOM_TUTOR", "Доля ИОМ, обеспеченных куратором или тьютором",
     "ИОМ с куратором", DIAGNOSTICS, "up", "share", False, 100),
    ("PD_3Y", "Доля педагогов, прошедших повышение квалификации за последние три года",
     "ПК за 3 года", TRAINING, "up", "share", False, 100),
    ("PD_REGION", "Доля педагогов, освоивших программы ПК в организациях региона",
     "ПК в регионе", TRAINING, "up", "share", False, 30),
    ("PD_EXT_DIST",
     "Доля педагогов, освоивших программы ПК дистанционно в сторонних организациях",
     "Дистант. ПК у сторонних", TRAINING, "down", "share", False, 20),
    ("RETRAIN_NONPED",
     "Доля педагогов с непедагогическим образованием, прошедших профессиональную "
     "переподготовку педагогической направленности",
     "Переподготовка непедагогов", TRAINING, "up", "share", False, 100),
    ("DPO_NOPROF",
     "Доля педагогов без профессионального образования, освоивших программы ДПО",
     "ДПО без проф. образования", TRAINING, "up", "share", False, 100),
    ("PD_T_ASSESS", f"{PK} по вопросам оценки качества образования",
     "ПК: оценка качества", TOPICS, "up", "share", False, 30),
    ("PD_T_TALENT", f"{PK} по вопросам выявления, поддержки и развития способностей и талантов",
     "ПК: таланты", TOPICS, "up", "share", False, 30),
    ("PD_T_CAREER", f"{PK} по вопросам самоопределения и профессиональной ориентации обучающихся",
     "ПК: профориентация", TOPICS, "up", "share", False, 30),
    ("PD_T_UPBRING", f"{PK} по вопросам организации воспитания обучающихся",
     "ПК: воспитание", TOPICS, "up", "share", False, 50),
    ("PD_T_PRESCHOOL", f"{PK} по вопросам повышения качества дошкольного образования",
     "ПК: дошкольное", TOPICS, "up", "share", False, 30),
    ("PD_T_FEDERAL", f"{PK} в рамках реализации приоритетных федеральных программ",
     "ПК: федеральные программы", TOPICS, "up", "share", False, 30),
    ("PD_LOWRES",
     "Доля педагогов ШНОР и школ в неблагоприятных социальных условиях, прошедших ПК за год",
     "ПК в ШНОР", TRAINING, "up", "share", False, 50),
    ("ATTEST", "Доля педагогов, имеющих квалификационную категорию",
     "Квалификационная категория", CAREER, "up", "share", False, 50),
    ("CONTEST", "Доля педагогов — участников профессиональных конкурсов",
     "Конкурсы", CAREER, "up", "share", False, 15),
    ("EXPERT", "Доля педагогов, вовлечённых в экспертную деятельность",
     "Экспертная деятельность", CAREER, "up", "share", False, 10),
    ("METHOD_ASSET", "Доля педагогов, входящих в методический актив или обобщающих опыт",
     "Методический актив", CAREER, "up", "share", False, 10),
    ("NETWORK",
     "Доля педагогов, участвующих в методических объединениях и сетевых сообществах",
     "МО и сетевые сообщества", CAREER, "up", "share", False, 70),
    ("MENTOR_YOUNG", "Доля молодых педагогов, за которыми закреплён наставник",
     "Наставник у молодых", STAFF, "up", "share", False, 100),
    ("YOUNG", "Доля молодых педагогов", "Молодые педагоги", STAFF, "up", "share", False, None),
    ("PENSION", "Доля педагогов пенсионного возраста",
     "Пенсионный возраст", STAFF, "down", "share", False, None),
    ("PARTTIME", "Доля совместителей среди педагогических работников",
     "Совместители", STAFF, "down", "share", False, None),
    ("BURNOUT_DIAG", "Доля педагогов, прошедших диагностику профессионального выгорания",
     "Диагностика выгорания", BURNOUT, "up", "share", False, 50),
    ("BURNOUT_HIGH", "Доля педагогов с высоким уровнем профессионального выгорания",
     "Высокое выгорание", BURNOUT, "down", "share", False, 15),
    ("VACANCY", "Количество вакантных должностей",
     "Вакансии", SHORTAGE, "down", "count", False, 0),
    ("SCHOOLS_NO_IOM", "Количество ОО, в которых не разработаны ИОМ",
     "ОО без ИОМ", DIAGNOSTICS, "down", "count", True, 0),
    ("SCHOOLS_VACANCY", "Количество ОО с кадровым дефицитом",
     "ОО с дефицитом кадров", SHORTAGE, "down", "count", True, 0),
]


def load_catalogue(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for order, row in enumerate(CATALOGUE, start=1):
        code, name, short_name, group, direction, kind, district_only, target = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "group": group,
                "direction": direction,
                "kind": kind,
                "district_only": district_only,
                "default_target": None if target is None else Decimal(target),
                "order": order,
            },
        )


def unload_catalogue(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
