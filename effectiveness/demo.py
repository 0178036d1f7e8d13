"""The demo district's measures (a step of `load_demo`): a dozen measures from seeds 003 and
004, aimed at the schools in breach the year before, through the app's own service; a second
run changes nothing."""

import datetime as dt

from effectiveness.models import Measure
from effectiveness.services import measure_create
from monitoring.demo import DEMO_MONITORING_YEARS
from monitoring.models import BREACH_STATUSES, Indicator, IndicatorValue
from profdev.demo.loading import DEMO_DISTRICT
from profdev.facts import academic_year
from profdev.models import District
from recommendations.models import Letter

METHODIST = "Смирнова О. И., методист ИМК"

# title, date, kind, responsible, indicators, participants, schools: "breach" (the schools in
# breach of the first indicator in the year before) or "all"
MEASURES = [
    ("Методический день «Диагностика профессиональных дефицитов: единый инструментарий»",
     "2023-11-15", "method_day", METHODIST, ("DIAG", "DIAG_MGR"), 52, "breach"),
    ("Круглый стол «Аттестация педагогов: новые квалификационные категории»",
     "2024-01-25", "round_table", "Кузнецова Е. В., методист ИМК", ("ATTEST",), 29, "breach"),
    ("Курсы повышения квалификации «Наставничество в образовательной организации» (72 ч)",
     "2024-03-20", "courses", "ГАУ ДПО «Институт развития образования»",
     ("MENTOR_YOUNG", "PD_3Y"), 15, "breach"),
    ("Семинар «Работа педагогов в школах с низкими образовательными результатами»",
     "2024-04-10", "seminar", METHODIST, ("PD_LOWRES",), 21, "breach"),
    ("Совещание заместителей директоров «Итоги мониторинга 2023/2024 и адресные рекомендации»",
     "2024-09-12", "meeting", "Олейникова О. В., начальник отдела образования",
     ("DIAG", "PD_3Y", "ATTEST"), 24, "all"),
    ("Школа молодого педагога: цикл занятий с наставниками",
     "2024-09-25", "mentorship", "Петрова А. С., руководитель школы молодого педагога",
     ("MENTOR_YOUNG", "YOUNG"), 23, "breach"),
    ("Семинар «Индивидуальный образовательный маршрут педагога: от диагностики к результату»",
     "2024-10-17", "seminar", METHODIST, ("IOM", "IOM_TUTOR", "DIAG"), 46, "breach"),
    ("Стажировка в ЦНППМ «Формирование функциональной грамотности обучающихся»",
     "2024-11-20", "internship", "ЦНППМ", ("PD_REGION", "PD_3Y"), 18, "breach"),
    ("Вебинар «Профилактика профессионального выгорания педагогов»",
     "2024-12-05", "webinar", "Морозова И. А., педагог-психолог", ("BURNOUT_HIGH", "BURNOUT_DIAG"),
     64, "breach"),
    ("Заседание районных методических объединений «Сетевое взаимодействие педагогов»",
     "2025-01-22", "seminar", METHODIST, ("NETWORK", "METHOD_ASSET"), 57, "breach"),
    ("Муниципальный конкурс профессионального мастерства «Педагог года — 2025»",
     "2025-02-12", "contest", "Кузнецова Е. В., методист ИМК", ("CONTEST",), 31, "all"),
    ("Мастер-класс победителей конкурса «Педагог года»",
     "2025-03-27", "master_class", METHODIST, ("CONTEST", "NETWORK"), 40, "breach"),
    ("Ярмарка вакансий для выпускников педагогического колледжа",
     "2025-04-15", "other", "Отдел образования", ("VACANCY", "YOUNG"), 12, "breach"),
]  # fmt: skip
TARGETED_SCHOOLS = 4


def _breaching_schools(district: District, year: int, code: str) -> list:
    values = (
        IndicatorValue.objects.filter(
            monitoring_year__district=district,
            monitoring_year__year=year,
            indicator=code,
            school__isnull=False,
            status__in=BREACH_STATUSES,
        )
        .select_related("school")
        .order_by("school__code")
    )
    return [v.school for v in values[:TARGETED_SCHOOLS]]


def load_measures(
    *, district_code: str = DEMO_DISTRICT, first_year: int = DEMO_MONITORING_YEARS[0]
) -> str:
    """The measures of seeds 003/004 aimed at the schools in breach the year before (or in
    `first_year`, the first on record); existing ones are kept."""
    district = District.objects.get(code=district_code)
    indicators = Indicator.objects.in_bulk()
    existing = set(Measure.objects.filter(district=district).values_list("title", "date"))
    created = 0
    for title, date, kind, responsible, codes, participants, aim in MEASURES:
        date = dt.date.fromisoformat(date)
        if (title, date) in existing:
            continue
        year = academic_year(date)
        basis = max(year - 1, first_year)
        schools = [] if aim == "all" else _breaching_schools(district, basis, codes[0])
        letter = Letter.objects.filter(
            monitoring_year__district=district,
            monitoring_year__year=year - 1,
            kind=Letter.Kind.DISTRICT,
            status=Letter.State.SIGNED,
        ).first()
        measure_create(
            district=district,
            title=title,
            date=date,
            kind=kind,
            responsible=responsible,
            participants=participants,
            letter=letter,
            indicators=[indicators[c] for c in codes],
            schools=schools,
        )
        created += 1
    return f"мероприятий {len(MEASURES)}: создано {created}, уже были {len(MEASURES) - created}"
