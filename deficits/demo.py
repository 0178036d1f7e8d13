"""The demo district's targeted support (steps of `load_demo`): routes (ИОМ) as plans, the
schools' answers to their letters and the course order with a letter to a provider, so that
a newcomer finds each page filled. Each part is made once: a second run changes nothing.

Everything goes through the apps' own services; the monitoring's stored values are computed
before these steps and nothing here changes what they count."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from deficits.letter import order_letter_draft
from deficits.models import CourseOrder, CourseOrderLine
from deficits.services import order_build, order_line_update, order_problem_lines
from monitoring.deficits import component_topics
from monitoring.demo import DEMO_MONITORING_YEARS
from monitoring.models import DeficitFinding, MonitoringYear
from profdev.demo.loading import DEMO_DISTRICT, DEMO_METHODOLOGIST
from profdev.models import CourseCompletion, DevelopmentRoute, District, Provider, RouteActivity
from profdev.services import route_save
from recommendations.models import FindingResponse, Letter
from recommendations.responses import Answer, letter_respond, school_routes

ROUTES = 8  # routes made plans
ANSWERING_SCHOOLS = 3  # schools that answer each year's letter (the others have not yet)
ANSWERED_FINDINGS = 2  # of each letter's findings

# What a school reports it did, by indicator; anything else gets the general answer.
DONE = {
    "DIAG": "Организована диагностика профессиональных дефицитов для педагогов, не прошедших "
    "её; график доведён до педагогов на совещании.",
    "IOM": "Для педагогов с выявленными дефицитами разработаны ИОМ, назначены кураторы.",
    "IOM_TUTOR": "Назначены кураторы ИОМ из числа опытных педагогов.",
    "PD_3Y": "Составлен перспективный план повышения квалификации; педагоги записаны на курсы.",
    "NETWORK": "Педагоги включены в районные методические объединения по предметам.",
    "BURNOUT_HIGH": "Проведены тренинг профилактики выгорания и консультации психолога.",
    "VACANCY": "Вакансии размещены на портале «Работа России», ведутся собеседования.",
}
DONE_OTHERWISE = "Вопрос рассмотрен на педагогическом совете, утверждён план мер."

# The course order: programme and hours per component; the form, hours and providers of the
# lines with people in them.
PROGRAMMES = {
    "subject": "Содержание и методика преподавания предмета по обновлённым ФГОС",
    "methodical": "Проектирование урока в логике системно-деятельностного подхода",
    "assessment": "Формирующее оценивание и работа с результатами оценочных процедур",
    "psychological": "Психолого-педагогическое сопровождение обучающихся",
    "communicative": "Эффективная коммуникация с родителями и обучающимися",
    "digital": "Цифровая образовательная среда: сервисы ФГИС «Моя школа»",
}


def _routes_as_plans(district: District, year: MonitoringYear, user) -> int:
    """The first routes (by person) of people with a deficit in the year, without a plan
    yet: the deficits they address and three activities each."""
    planned = RouteActivity.objects.filter(route__person__employments__school__district=district)
    if planned.exists():
        return 0
    findings: dict[int, list[str]] = {}
    for person_id, component in DeficitFinding.objects.filter(monitoring_year=year).values_list(
        "person_id", "component"
    ):
        findings.setdefault(person_id, []).append(component)
    routes = (
        DevelopmentRoute.objects.filter(person_id__in=list(findings))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=year.reference_date))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")[:ROUTES]
    )
    mapping = component_topics(district)
    today = timezone.localdate()
    for route in routes:
        components = sorted(set(findings[route.person_id]))
        topic = min(mapping[components[0]] or {CourseCompletion.Topic.METHODOLOGICAL})
        start = route.started_on
        course_on = start + dt.timedelta(days=45)
        activities = [
            {
                "kind": RouteActivity.Kind.COURSE,
                "topic": topic,
                "title": PROGRAMMES[components[0]],
                "starts_on": course_on,
                "ends_on": course_on + dt.timedelta(days=14),
                "status": RouteActivity.Status.PLANNED,
            },
            {
                "kind": RouteActivity.Kind.MENTORING,
                "title": "Наставничество: посещение и анализ уроков с наставником",
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=120),
                "status": RouteActivity.Status.DONE
                if start + dt.timedelta(days=120) < today
                else RouteActivity.Status.PLANNED,
            },
            {
                "kind": RouteActivity.Kind.SELF_STUDY,
                "title": "Самообразование: изучение методических рекомендаций по дефициту",
                "starts_on": start + dt.timedelta(days=7),
                "ends_on": None,
                "status": RouteActivity.Status.PLANNED,
            },
        ]
        record = {
            "person": route.person,
            "started_on": route.started_on,
            "ended_on": route.ended_on,
            "curator": route.curator,
            "tutor": route.tutor,
            "components": DevelopmentRoute.encode_components(components),
        }
        route_save(
            record=record,
            instance=route,
            activities=[(None, {"description": "", **a}) for a in activities],
            user=user,
        )
    return len(routes)


def _answers(district: District, users: dict) -> int:
    """In every year, the first schools' signed letters answered on their first findings."""
    if FindingResponse.objects.filter(letter__monitoring_year__district=district).exists():
        return 0
    today = timezone.localdate()
    answered = 0
    for year in DEMO_MONITORING_YEARS:
        letters = Letter.objects.filter(
            monitoring_year__district=district,
            monitoring_year__year=year,
            kind=Letter.Kind.SCHOOL,
            status=Letter.State.SIGNED,
        ).select_related("school", "monitoring_year")
        for letter in sorted(letters, key=Letter.natural_order)[:ANSWERING_SCHOOLS]:
            admin = users.get(f"ou-{letter.school.code}")
            findings = letter.figures.get("findings", [])[:ANSWERED_FINDINGS]
            if admin is None or not findings:
                continue
            routes = list(school_routes(letter, today=today)[:2])
            answers = [
                Answer(
                    code=f["code"],
                    done=DONE.get(f["code"], DONE_OTHERWISE),
                    done_on=today,
                    routes=routes if f["code"].startswith(("IOM", "DEFICIT")) else [],
                )
                for f in findings
            ]
            letter_respond(letter=letter, answers=answers, user=admin, today=today)
            answered += 1
    return answered


def _course_order(district: District, year: int, user) -> str:
    """The order for the year after `year` with its lines for the problem fields, its lines
    with people settled with the regional providers in turn, and a draft letter to the first
    of them."""
    if CourseOrder.objects.filter(district=district, year=year).exists():
        return "план-заказ уже есть"
    order = order_build(district=district, year=year, user=user)
    order_problem_lines(order=order)
    providers = list(Provider.objects.filter(confirmed=True).order_by("kind", "name")[:2])
    if not providers:
        return "план-заказ без организаций ДПО"
    lines = order.lines.filter(proposed__gt=0).order_by("pk")
    for n, line in enumerate(lines):
        order_line_update(
            line=line,
            values={
                "provider": providers[n % len(providers)],
                "programme": PROGRAMMES[line.component]
                + (f" ({line.get_subject_display()})" if line.subject else ""),
                "form": CourseCompletion.Form.MIXED,
                "hours": 36 if n % 2 == 0 else 72,
                "number": line.proposed,
            },
        )
    letter = order_letter_draft(order=order, provider=providers[0], user=user).letter
    settled = CourseOrderLine.objects.filter(order=order, provider__isnull=False).count()
    return f"план-заказ: строк с организацией {settled}, письмо «{letter.addressee_short}»"


def load_targeted_support(
    *, district_code: str = DEMO_DISTRICT, drafter: str = DEMO_METHODOLOGIST
) -> str:
    district = District.objects.get(code=district_code)
    users = {u.username: u for u in get_user_model().objects.all()}
    latest = MonitoringYear.objects.get(district=district, year=DEMO_MONITORING_YEARS[-1])
    plans = _routes_as_plans(district, latest, users[drafter])
    answered = _answers(district, users)
    order = _course_order(district, latest.year, users[drafter])
    return f"ИОМ с планом: {plans}; ответов ОО на письма: {answered}; {order}"
