"""deficits.md, rule by rule, on hand-computed cases, read through the report of the command
(`deficits.report.deficit_report`): the profile, the target groups, the closure by provider.

Year Y = 2024: P = [01.09.2024, 31.08.2025], R = 31.08.2025 unless said otherwise.
"""

import datetime as dt

import pytest

from deficits.report import deficit_report
from deficits.services import mapping_update
from profdev.facts import Period
from tests import factories
from tests.monitoring.conftest import P_START, R, teacher

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
BLANK = dict.fromkeys(
    ("subject", "methodical", "assessment", "psychological", "communicative", "digital")
)
NAMES = (
    "Предметный",
    "Методический",
    "Оценочный",
    "Психолого-педагогический",
    "Коммуникативный",
    "Цифровой",
)


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.DEFICIT_SCORE = 60


def diagnostic(person, date, instrument="ЕФОМ", **scores):
    return factories.DiagnosticFactory(
        person=person, date=date, instrument=instrument, **{**BLANK, **scores}
    )


def course(person, finished_on, topics="", provider=None):
    extra = {"provider": provider} if provider else {}
    return factories.CourseFactory(person=person, finished_on=finished_on, topics=topics, **extra)


def report(district, as_of=None):
    return deficit_report(district, Period.of(2024, as_of))


def profile(data, school=None, name="Предметный"):
    where = data["district"] if school is None else data["schools"][school.code]
    cell = where["profile"][name]
    return cell["numerator"], cell["denominator"], cell["value"]


# --- A person's score -----------------------------------------------------------------------


def test_several_rows_of_one_date_count_once_with_the_lowest_score(district, school):
    a = teacher(school)
    diagnostic(a, dt.date(2024, 10, 1), "ЕФОМ", subject=80)
    diagnostic(a, dt.date(2024, 10, 1), "Тест ИРО", subject=50)
    diagnostic(a, dt.date(2024, 10, 1), "Анкета", digital=90)  # no subject score: not a row of it
    b = teacher(school)
    diagnostic(b, dt.date(2024, 10, 1), "ЕФОМ", subject=70)
    diagnostic(b, dt.date(2024, 10, 1), "Тест ИРО", subject=65)

    data = report(district)

    assert profile(data, school) == (1, 2, 50.0)
    assert data["groups"]["Предметный"] == [a.snils]


def test_the_latest_score_in_p_counts(district, school):
    improved = teacher(school)
    diagnostic(improved, dt.date(2024, 10, 1), subject=40)
    diagnostic(improved, dt.date(2025, 3, 1), subject=80)
    worsened = teacher(school)
    diagnostic(worsened, dt.date(2024, 10, 1), subject=80)
    diagnostic(worsened, dt.date(2025, 3, 1), subject=40)
    before_p = teacher(school)  # a deficit of the year before, fine in P
    diagnostic(before_p, P_START - DAY, subject=10)
    diagnostic(before_p, P_START, subject=90)
    after_r = teacher(school)  # the later score comes after R: the one in P counts
    diagnostic(after_r, R, subject=30)
    diagnostic(after_r, R + DAY, subject=90)
    only_before = teacher(school)  # no score in P: not in the denominator
    diagnostic(only_before, P_START - DAY, subject=10)

    data = report(district)

    assert profile(data, school) == (2, 4, 50.0)
    assert data["groups"]["Предметный"] == sorted([worsened.snils, after_r.snils])


def test_sixty_is_no_deficit_and_fifty_nine_is(district, school):
    diagnostic(teacher(school), dt.date(2024, 10, 1), subject=60, digital=59)

    data = report(district)

    assert profile(data, school) == (0, 1, 0.0)
    assert profile(data, school, "Цифровой") == (1, 1, 100.0)
    assert data["groups"]["Предметный"] == []


def test_persons_outside_ped_are_not_counted(district, school):
    inside = teacher(school)
    diagnostic(inside, dt.date(2024, 10, 1), subject=30)
    for person in (
        teacher(school, category="managerial"),
        teacher(school, workplace="part_time"),
        teacher(school, dismissed_on=R - DAY),  # dismissed before R
        teacher(school, hired_on=R + DAY),  # hired after R
    ):
        diagnostic(person, dt.date(2024, 10, 1), subject=30)
    on_r = teacher(school, dismissed_on=R)  # a dismissal on R still counts
    diagnostic(on_r, dt.date(2024, 10, 1), subject=30)

    data = report(district)

    assert profile(data, school) == (2, 2, 100.0)
    assert data["groups"]["Предметный"] == sorted([inside.snils, on_r.snils])
    assert data["providers"] == {} and data["no_course"] == {"retested": 0, "closed": 0}


def test_the_district_is_pooled_and_an_empty_denominator_is_null(district, school, other_school):
    for score in (30, 70, 80):
        diagnostic(teacher(school), dt.date(2024, 10, 1), subject=score)
    diagnostic(teacher(other_school), dt.date(2024, 10, 1), subject=20)

    data = report(district)

    # (1 + 1) / (3 + 1), not the mean of 33,3 % and 100 %
    assert profile(data) == (2, 4, 50.0)
    assert profile(data, school) == (1, 3, 33.3)
    assert profile(data, school, "Цифровой") == (0, 0, None)
    assert profile(data, None, "Цифровой") == (0, 0, None)


# --- Target groups --------------------------------------------------------------------------


def test_a_course_after_the_diagnostic_up_to_r_removes_from_the_group(district, school):
    day = dt.date(2024, 10, 1)
    on_the_day = teacher(school, last_name="А-в-день")
    diagnostic(on_the_day, day, digital=30)
    course(on_the_day, day, ",digital,")  # not after it: stays
    on_r = teacher(school, last_name="Б-в-R")
    diagnostic(on_r, day, digital=30)
    course(on_r, R, ",digital,")  # on R: leaves
    after_r = teacher(school, last_name="В-после-R")
    diagnostic(after_r, day, digital=30)
    course(after_r, R + DAY, ",digital,")  # after R: stays
    no_topics = teacher(school, last_name="Г-без-тематики")
    diagnostic(no_topics, day, digital=30)
    course(no_topics, day + DAY)  # addresses nothing: stays
    other_topic = teacher(school, last_name="Д-другая-тематика")
    diagnostic(other_topic, day, digital=30)
    course(other_topic, day + DAY, ",subject,upbringing,")  # another component's: stays
    next_day = teacher(school, last_name="Е-на-следующий-день")
    diagnostic(next_day, day, digital=30)
    course(next_day, day + DAY, ",digital,subject,")  # one of its topics addresses it: leaves

    data = report(district)

    assert data["groups"]["Цифровой"] == sorted(
        p.snils for p in (on_the_day, after_r, no_topics, other_topic)
    )
    # The profile counts the deficits whatever came after them.
    assert profile(data, school, "Цифровой") == (6, 6, 100.0)


def test_an_earlier_as_of_moves_r(district, school):
    person = teacher(school)
    diagnostic(person, dt.date(2024, 10, 1), digital=30)
    course(person, dt.date(2025, 3, 1), ",digital,")

    assert report(district)["groups"]["Цифровой"] == []
    early = report(district, as_of=dt.date(2025, 2, 28))
    assert early["as_of"] == "2025-02-28"
    assert early["groups"]["Цифровой"] == [person.snils]


def test_the_groups_follow_the_districts_mapping(district, school, methodologist):
    person = teacher(school)
    diagnostic(person, dt.date(2024, 10, 1), digital=30, communicative=40)
    course(person, dt.date(2024, 12, 1), ",career,")  # by default addresses «коммуникативный»

    before = report(district)["groups"]
    assert before["Цифровой"] == [person.snils] and before["Коммуникативный"] == []

    mapping_update(
        district=district,
        topics={"digital": ["digital", "career"], "communicative": ["upbringing"]},
        user=methodologist,
    )

    after = report(district)["groups"]
    assert after["Цифровой"] == [] and after["Коммуникативный"] == [person.snils]


# --- Closure by provider --------------------------------------------------------------------


@pytest.fixture
def institute():
    return factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")


@pytest.fixture
def company():
    return factories.ProviderFactory(name="ООО «Курсы»")


def test_retests_across_years_credited_to_each_provider_once(district, school, institute, company):
    # d1 in 2023/2024, d2 in P: a retest; two addressing courses between, of two providers,
    # and a second course of one of them: credited once to each.
    both = teacher(school)
    diagnostic(both, dt.date(2024, 3, 1), subject=40)
    course(both, dt.date(2024, 5, 1), ",subject,", institute)
    course(both, dt.date(2024, 11, 1), ",subject,", institute)
    course(both, dt.date(2024, 12, 1), ",subject,", company)
    diagnostic(both, dt.date(2025, 2, 1), subject=75)
    # Both scores before P: no retest of the year.
    earlier = teacher(school)
    diagnostic(earlier, dt.date(2023, 10, 1), subject=40)
    course(earlier, dt.date(2023, 12, 1), ",subject,", institute)
    diagnostic(earlier, dt.date(2024, 3, 1), subject=75)
    # Three scores: (40 → 50) and (50 → 65) are retests; only the first has a course.
    chain = teacher(school)
    diagnostic(chain, dt.date(2024, 9, 10), subject=40)
    course(chain, dt.date(2024, 10, 1), ",subject,", company)
    diagnostic(chain, dt.date(2024, 11, 1), subject=50)
    diagnostic(chain, dt.date(2025, 4, 1), subject=65)

    data = report(district)

    assert data["providers"] == {
        "ГАУ ДПО «Институт развития образования»": {"retested": 1, "closed": 1},
        "ООО «Курсы»": {"retested": 2, "closed": 1},
    }
    assert data["no_course"] == {"retested": 1, "closed": 1}


def test_a_course_counts_in_d1_d2_and_only_for_what_it_addresses(district, school, institute):
    on_d1 = teacher(school)  # a course ending on d1 is not between: no course
    diagnostic(on_d1, dt.date(2024, 10, 1), subject=40)
    course(on_d1, dt.date(2024, 10, 1), ",subject,", institute)
    diagnostic(on_d1, dt.date(2025, 3, 1), subject=40)
    on_d2 = teacher(school)  # ending on d2: credited
    diagnostic(on_d2, dt.date(2024, 10, 1), subject=40)
    course(on_d2, dt.date(2025, 3, 1), ",subject,", institute)
    diagnostic(on_d2, dt.date(2025, 3, 1), subject=70)
    untopical = teacher(school)  # a course without topics, and one of another component's
    diagnostic(untopical, dt.date(2024, 10, 1), subject=40, digital=50)
    course(untopical, dt.date(2024, 12, 1), "", institute)
    course(untopical, dt.date(2024, 12, 2), ",digital,", institute)
    diagnostic(untopical, dt.date(2025, 3, 1), subject=80, digital=55)
    no_deficit = teacher(school)  # 60 first: no retest
    diagnostic(no_deficit, dt.date(2024, 10, 1), subject=60)
    course(no_deficit, dt.date(2024, 12, 1), ",subject,", institute)
    diagnostic(no_deficit, dt.date(2025, 3, 1), subject=90)
    outsider = teacher(school, category="managerial")  # not in PED
    diagnostic(outsider, dt.date(2024, 10, 1), subject=40)
    course(outsider, dt.date(2024, 12, 1), ",subject,", institute)
    diagnostic(outsider, dt.date(2025, 3, 1), subject=90)

    data = report(district)

    # on_d2 (closed), untopical's digital (still a deficit)
    assert data["providers"] == {
        "ГАУ ДПО «Институт развития образования»": {"retested": 2, "closed": 1}
    }
    # on_d1 (still), untopical's subject (closed)
    assert data["no_course"] == {"retested": 2, "closed": 1}


def test_the_lowest_score_of_a_date_makes_the_pair(district, school, institute):
    person = teacher(school)
    diagnostic(person, dt.date(2024, 10, 1), "ЕФОМ", subject=70)
    diagnostic(person, dt.date(2024, 10, 1), "Тест", subject=45)
    course(person, dt.date(2024, 12, 1), ",subject,", institute)
    diagnostic(person, dt.date(2025, 3, 1), "ЕФОМ", subject=80)
    diagnostic(person, dt.date(2025, 3, 1), "Тест", subject=58)

    data = report(district)

    assert data["providers"] == {
        "ГАУ ДПО «Институт развития образования»": {"retested": 1, "closed": 0}
    }


def test_a_topic_is_matched_as_written_not_as_a_pattern(district, school, institute, methodologist):
    # «low_results» (ШНОР) has an underscore, which a LIKE pattern would read as any letter.
    mapping_update(district=district, topics={"subject": ["low_results"]}, user=methodologist)
    matched, lookalike = teacher(school), teacher(school)
    for person, topics in ((matched, ",low_results,"), (lookalike, ",lowXresults,")):
        diagnostic(person, dt.date(2024, 10, 1), subject=40)
        course(person, dt.date(2024, 12, 1), topics, institute)
        diagnostic(person, dt.date(2025, 3, 1), subject=75)

    data = report(district)

    assert data["providers"] == {
        "ГАУ ДПО «Институт развития образования»": {"retested": 1, "closed": 1}
    }
    assert data["no_course"] == {"retested": 1, "closed": 1}


# --- The command --------------------------------------------------------------------------


def test_the_command_prints_the_shape_of_deficits_md(district, school, other_school, institute):
    from io import StringIO

    from django.core.management import call_command

    first, second = teacher(school), teacher(other_school)
    diagnostic(second, dt.date(2024, 10, 1), digital=20)
    diagnostic(first, dt.date(2024, 10, 1), digital=30)
    course(first, dt.date(2024, 12, 1), ",subject,", institute)
    out = StringIO()

    call_command(
        "deficit_report",
        "--year",
        "2024",
        "--district",
        district.code,
        "--format",
        "json",
        stdout=out,
    )

    import json

    data = json.loads(out.getvalue())
    assert list(data) == [
        "year",
        "as_of",
        "district",
        "schools",
        "groups",
        "providers",
        "no_course",
    ]
    assert (data["year"], data["as_of"]) == (2024, "2025-08-31")
    assert list(data["district"]["profile"]) == list(NAMES)
    assert data["district"]["profile"]["Цифровой"] == {
        "numerator": 2,
        "denominator": 2,
        "value": 100.0,
    }
    assert data["district"]["profile"]["Предметный"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
    }
    assert list(data["schools"]) == [school.code, other_school.code]
    assert all(list(s["profile"]) == list(NAMES) for s in data["schools"].values())
    assert list(data["groups"]) == list(NAMES)
    assert data["groups"]["Цифровой"] == sorted([first.snils, second.snils])
    assert all(len(s) == 11 and s.isdigit() for s in data["groups"]["Цифровой"])
    assert data["providers"] == {} and data["no_course"] == {"retested": 0, "closed": 0}


def test_the_command_refuses_a_reference_date_outside_the_year(district):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="вне учебного года"):
        call_command("deficit_report", "--year", "2024", "--as-of", "2025-09-01")


def test_the_report_queries_do_not_grow(
    district, school, other_school, institute, django_assert_num_queries
):
    def populate(n):
        for _ in range(n):
            for s in (school, other_school):
                person = teacher(s)
                diagnostic(person, dt.date(2024, 10, 1), subject=40, digital=30)
                course(person, dt.date(2024, 12, 1), ",subject,", institute)
                diagnostic(person, dt.date(2025, 3, 1), subject=70, digital=50)

    populate(1)
    # schools, the profile (the employments' rows, their persons' diagnostics), the mapping,
    # the groups, their СНИЛС, the closure
    with django_assert_num_queries(7):
        report(district)
    populate(3)
    with django_assert_num_queries(7):
        data = report(district)
    assert data["no_course"] == {"retested": 8, "closed": 0}
    assert len(data["groups"]["Цифровой"]) == 8
