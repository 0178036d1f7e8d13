import datetime as dt
from decimal import Decimal

import pytest

from effectiveness.report import Verdict, effectiveness_report, verdict
from monitoring.models import Indicator, IndicatorValue
from monitoring.services import compute_year
from recommendations.drafting import letters_draft
from recommendations.models import FindingResponse
from tests import factories
from tests.effectiveness.conftest import indicator, mark_signed
from tests.recommendations.factories import value

pytestmark = pytest.mark.django_db

UP, DOWN = Indicator.Direction.UP, Indicator.Direction.DOWN
SHARE, COUNT = Indicator.Kind.SHARE, Indicator.Kind.COUNT


@pytest.mark.parametrize(
    ("direction", "kind", "then", "now", "expected"),
    [
        (UP, SHARE, "50.0", "51.0", Verdict.UNCHANGED),  # exactly +1,0 п.п.
        (UP, SHARE, "50.0", "49.0", Verdict.UNCHANGED),  # exactly −1,0 п.п.
        (UP, SHARE, "50.0", "51.1", Verdict.IMPROVED),
        (UP, SHARE, "50.0", "48.9", Verdict.WORSE),
        (DOWN, SHARE, "30.0", "28.9", Verdict.IMPROVED),  # less is better
        (DOWN, SHARE, "30.0", "31.1", Verdict.WORSE),
        (DOWN, SHARE, "30.0", "31.0", Verdict.UNCHANGED),
        (DOWN, COUNT, "2", "2", Verdict.UNCHANGED),
        (DOWN, COUNT, "2", "1", Verdict.IMPROVED),
        (DOWN, COUNT, "2", "3", Verdict.WORSE),
        (UP, COUNT, "2", "3", Verdict.IMPROVED),
        (UP, SHARE, None, "50.0", Verdict.NO_DATA),
        (UP, SHARE, "50.0", None, Verdict.NO_DATA),
    ],
)
def test_verdict(direction, kind, then, now, expected):
    ind = Indicator(code="X", direction=direction, kind=kind)
    then = None if then is None else Decimal(then)
    now = None if now is None else Decimal(now)
    assert verdict(ind, then, now) == expected


def _findings(report, code):
    outcome = next(
        o for o in report.outcomes() if (o.letter.school.code if o.letter.school else None) == code
    )
    return {f.indicator.code: f for f in outcome.findings}, outcome


def test_letters_of_the_previous_year_against_this_years_values(district, signed_letters):
    report = effectiveness_report(district, 2024)
    assert report.letters[0].addressee == "Руководителям ОО"
    a, outcome = _findings(report, "S-A")
    assert outcome.confirmed
    assert list(a) == ["DIAG", "IOM", "BURNOUT_HIGH", "VACANCY"]
    assert (a["DIAG"].then_text, a["DIAG"].now_text, a["DIAG"].delta_text) == (
        "50,0\u00a0%",
        "51,0\u00a0%",
        "+1,0\u00a0п.п.",
    )
    assert a["DIAG"].verdict == Verdict.UNCHANGED
    assert a["IOM"].status_then == "yellow"
    assert a["IOM"].verdict == Verdict.NO_DATA and a["IOM"].verdict_label == "нет данных"
    assert a["BURNOUT_HIGH"].verdict == Verdict.IMPROVED  # down: 40,0 → 20,0
    assert a["BURNOUT_HIGH"].delta_text == "−20,0\u00a0п.п."
    assert a["VACANCY"].verdict == Verdict.WORSE and a["VACANCY"].delta_text == "+1"
    b, outcome = _findings(report, "S-B")
    assert not outcome.confirmed
    assert b["DIAG"].verdict == Verdict.IMPROVED  # +1,1 п.п.
    district_row, _ = _findings(report, None)
    assert district_row["DIAG"].verdict == Verdict.WORSE  # 45,0 → 40,0
    assert report.verdicts == {"improved": 2, "unchanged": 1, "worse": 2, "no_data": 1}
    # The brief table counts the same verdicts per letter (S-A, S-B, the district's letter).
    brief = [(o.cited, list(o.verdicts.values())) for o in report.letters]
    assert sorted(brief) == [(1, [0, 0, 1, 0]), (1, [1, 0, 0, 0]), (4, [1, 1, 1, 1])]


def test_unsigned_letters_are_not_in_the_report(district, two_years):
    letters_draft(year=two_years[0])
    assert effectiveness_report(district, 2024).letters == []


def test_recomputing_the_old_year_does_not_change_what_the_letter_cited(
    district, school, signed_letters
):
    """The letter said 50,0 % (10 of 20); the year is recomputed from records (one teacher,
    diagnosed: 100,0 %); the report still compares the letter's copy with this year's 51,0 %:
    +1,0 п.п., unchanged (against 100,0 % it would be −49,0 п.п., worse)."""
    teacher = factories.EmploymentFactory(school=school).person
    factories.DiagnosticFactory(person=teacher, date=dt.date(2023, 10, 1))
    compute_year(district, 2023)
    recomputed = IndicatorValue.objects.get(
        monitoring_year__year=2023, school=school, indicator="DIAG"
    )
    assert recomputed.value == Decimal("100.0")
    a, _ = _findings(effectiveness_report(district, 2024), "S-A")
    assert a["DIAG"].then == Decimal("50.0")
    assert a["DIAG"].then_text == "50,0\u00a0%"
    assert a["DIAG"].delta_text == "+1,0\u00a0п.п."
    assert a["DIAG"].verdict == Verdict.UNCHANGED


def test_breaches_resolved_by_indicator(district, two_years):
    report = effectiveness_report(district, 2024)
    rows = {
        r.indicator.code: (r.breached, r.resolved, r.still, r.unknown) for r in report.resolutions
    }
    # DIAG: S-A and S-B red, still red; BURNOUT_HIGH: S-A green now; VACANCY: still red;
    # IOM: no value now. S-C was green in 2023 and is not counted.
    assert rows == {
        "DIAG": (2, 0, 2, 0),
        "IOM": (1, 0, 0, 1),
        "BURNOUT_HIGH": (1, 1, 0, 0),
        "VACANCY": (1, 0, 1, 0),
    }
    assert report.resolved_total == (1, 5)


@pytest.fixture
def network_values(district, school, other_school, third_school, two_years):
    """NETWORK (share): 2023 S-A 5/10, S-B 6/10, S-C 2/10; 2024 S-A 8/10, S-B 7/10, S-C 5/10.
    VACANCY (count): 2023 S-B 0, S-C 1 (S-A 2 in two_years); 2024 S-B 1, S-C 1 (S-A 3)."""
    before, after = two_years
    network, vacancy = indicator("NETWORK"), indicator("VACANCY")
    for year, rows in ((before, (5, 6, 2)), (after, (8, 7, 5))):
        for s, n in zip((school, other_school, third_school), rows, strict=True):
            value(year, network, s, n, 10, "red")
    value(before, vacancy, other_school, 0, None, "green")
    value(before, vacancy, third_school, 1, None, "red")
    value(after, vacancy, other_school, 1, None, "red")
    value(after, vacancy, third_school, 1, None, "red")


def test_difference_in_differences_pools_targeted_schools_against_the_others(
    district, school, third_school, network_values
):
    from effectiveness.services import measure_create

    measure_create(
        district=district,
        title="Семинар «Сетевые сообщества»",
        date=dt.date(2024, 11, 20),
        kind="seminar",
        indicators=[indicator("NETWORK"), indicator("VACANCY")],
        schools=[school, third_school],
    )
    measure_create(
        district=district,
        title="Совещание руководителей",
        date=dt.date(2024, 9, 1),
        kind="meeting",
        indicators=[indicator("NETWORK")],
        schools=[],
    )
    measure_create(  # 2023/2024's last day: judged by 2023/2024's report, not this one
        district=district,
        title="Старое",
        date=dt.date(2024, 8, 31),
        kind="other",
        indicators=[indicator("NETWORK")],
        schools=[],
    )
    report = effectiveness_report(district, 2024)
    assert [m.measure.title for m in report.measures] == [
        "Совещание руководителей",
        "Семинар «Сетевые сообщества»",
    ]
    meeting, seminar = report.measures
    network, vacancy = seminar.effects
    # Targeted S-A + S-C: (5+2)/20 = 35,0 → (8+5)/20 = 65,0; others S-B: 60,0 → 70,0.
    assert (network.targeted.before, network.targeted.after) == (Decimal(35), Decimal(65))
    assert (network.others.before, network.others.after) == (Decimal(60), Decimal(70))
    assert network.did == Decimal(20)
    assert network.did_text == "+20,0\u00a0п.п." and network.did_class == "delta-better"
    # Counts summed: targeted 2+1 = 3 → 3+1 = 4 (+1); others 0 → 1 (+1); DiD 0.
    assert (vacancy.targeted.before, vacancy.targeted.after) == (Decimal(3), Decimal(4))
    assert (vacancy.others.before, vacancy.others.after) == (Decimal(0), Decimal(1))
    assert vacancy.did == 0 and vacancy.did_text == "±0"
    # Every school targeted: no one to compare with.
    (everyone,) = meeting.effects
    assert everyone.targeted.schools == 3 and everyone.others.schools == 0
    assert everyone.targeted.before == Decimal(13 * 100) / 30  # (5+6+2)/30
    assert everyone.did is None and everyone.did_text == "—"


def test_education_quality_deficits_closed_after_a_course_or_a_route(
    settings, district, school, other_school
):
    settings.DEFICIT_SCORE = 60

    def teacher(s=school, category="pedagogical"):
        return factories.EmploymentFactory(school=s, category=category).person

    def diagnostic(person, date, **scores):
        blank = dict.fromkeys(
            ("subject", "methodical", "assessment", "psychological", "communicative", "digital")
        )
        return factories.DiagnosticFactory(person=person, date=date, **{**blank, **scores})

    a = teacher()  # subject 40 → ПК on the subject → 70: closed
    diagnostic(a, dt.date(2023, 10, 1), subject=40, methodical=80)
    factories.CourseFactory(person=a, finished_on=dt.date(2024, 1, 15), topics=",subject,")
    diagnostic(a, dt.date(2024, 4, 1), subject=70)
    b = teacher(other_school)  # subject 50, digital 30; a course addressing neither (the
    # default mapping) and a course without topics; subject 65 later: not by study
    diagnostic(b, dt.date(2023, 10, 1), subject=50, digital=30)
    factories.CourseFactory(person=b, finished_on=dt.date(2024, 1, 15), topics=",career,")
    factories.CourseFactory(person=b, finished_on=dt.date(2024, 1, 16))
    diagnostic(b, dt.date(2024, 4, 1), subject=65)
    c = teacher()  # digital 20 → ИОМ → 55: re-diagnosed, still deficient (a new finding)
    diagnostic(c, dt.date(2024, 10, 1), digital=20)
    factories.RouteFactory(person=c, started_on=dt.date(2024, 11, 1))
    diagnostic(c, dt.date(2025, 3, 1), digital=55)
    outsider = factories.EmploymentFactory(
        school=factories.SchoolFactory(district=factories.DistrictFactory(code="OTHER"))
    ).person
    diagnostic(outsider, dt.date(2023, 10, 1), subject=10)
    manager = teacher(category="managerial")
    diagnostic(manager, dt.date(2023, 10, 1), subject=10)
    early = teacher()
    diagnostic(early, dt.date(2023, 8, 31), subject=10)  # before the two years

    report = effectiveness_report(district, 2024)
    by_component = {c.component: (c.found, c.retested, c.closed) for c in report.quality}
    assert by_component == {
        "subject": (2, 1, 1),
        "methodical": (0, 0, 0),
        "assessment": (0, 0, 0),
        "psychological": (0, 0, 0),
        "communicative": (0, 0, 0),
        "digital": (3, 1, 0),
    }
    subject = report.quality[0]
    assert (subject.share_text, subject.retested_share_text) == ("50,0\u00a0%", "100,0\u00a0%")
    total = report.quality_total
    assert (total.found, total.retested, total.closed) == (5, 2, 1)
    assert (total.share_text, total.retested_share_text) == ("20,0\u00a0%", "50,0\u00a0%")
    assert report.quality[1].share_text == "—"


def more_signed_letters(district, two_years, n: int) -> int:
    """`n` more schools in breach of DIAG in 2023; the letters drafted since signed (some
    answered); how many."""
    before, after = two_years
    diag = indicator("DIAG")
    for i in range(n):
        school = factories.SchoolFactory(district=district, code=f"S-X{i}")
        value(before, diag, school, 5, 20, "red")
        value(after, diag, school, 8, 20, "red")
    created = letters_draft(year=before).created
    for i, letter in enumerate(created):
        mark_signed(letter, f"01-14/{100 + i}")
        if i % 2:
            FindingResponse.objects.create(
                letter=letter, indicator_id="DIAG", done="Семинар", done_on=dt.date(2024, 10, 5)
            )
    return len(created)


def test_report_queries_do_not_grow_with_letters_and_measures(
    django_assert_num_queries, district, school, two_years, signed_letters, network_values
):
    from effectiveness.services import measure_create

    for n in range(3):
        measure_create(
            district=district,
            title=f"Вебинар {n}",
            date=dt.date(2024, 10, 1 + n),
            kind="webinar",
            indicators=[indicator("NETWORK"), indicator("DIAG")],
            schools=[school],
        )
    # Years, catalogue, schools, letters, the breaches they cite (with the answers), this
    # year's values of those, measures (+ indicators, schools), their values, resolutions
    # (grouped), education quality (the mapping, one aggregate), the closure by provider (one
    # statement).
    with django_assert_num_queries(14):
        effectiveness_report(district, 2024)
    added = more_signed_letters(district, two_years, 6)
    with django_assert_num_queries(14):
        report = effectiveness_report(district, 2024)
    assert len(report.letters) == 3 + added >= 9
