"""The access-control audit: every URL of the site × every role, as docs/access-control.md
says (the table there is the one source: this test reads it). A URL pattern missing from
the table fails the audit, so no new view escapes it."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from effectiveness.models import Measure
from monitoring.models import MonitoringYear
from profdev.models import CourseCompletion, Job, Person
from profdev.uploads import upload_create
from recommendations.models import Letter, RecommendationRule
from tests.data import EXAMPLE
from tests.security.access import DOC, ROLES, routes, table
from tests.security.conftest import YEAR


def test_every_url_pattern_is_in_the_table():
    documented = [rule.route for rule in table()]
    assert sorted(set(routes()) - set(documented)) == [], f"add them to {DOC.name}"
    assert sorted(set(documented) - set(routes())) == [], "the table names URLs that are gone"
    assert len(documented) == len(set(documented))


@pytest.fixture
def samples(world, signed_letter):
    """The objects the sample requests name: all of `world.school` (own school)."""
    person = Person.objects.filter(employments__school=world.school).order_by("pk").first()
    methodologist = world.users["methodologist"]
    year = MonitoringYear.objects.get(district=world.district, year=YEAR)
    measure = Measure.objects.create(
        district=world.district, title="Семинар", date=dt.date(2025, 3, 1), kind="seminar"
    )
    job = Job.objects.create(
        function="monitoring.jobs.compute_district",
        title="Расчёт показателей",
        key="audit",
        user=methodologist,
        district=world.district,
        status=Job.Status.DONE,
    )
    upload = upload_create(
        user=world.users["school_admin"],
        school=world.school,
        filename="ZH-01.xlsx",
        content=EXAMPLE.read_bytes(),
    )
    return {
        "school": world.school.code,
        "person": person.pk,
        "course": CourseCompletion.objects.filter(person=person).first().pk,
        "job": job.pk,
        "upload": upload.pk,
        "year_id": year.pk,
        "letter": signed_letter.pk,
        "draft": Letter.objects.get(monitoring_year=year, school=None).pk,
        "token": signed_letter.token,
        "rule": RecommendationRule.objects.order_by("pk").first().pk,
        "measure": measure.pk,
    }


def outcome(user, method: str, url: str) -> tuple[int, str]:
    """Status and redirect target of one request by `user` (None: anonymous) from a fresh
    session, its side effects undone: each check starts from the same data."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = client.post(url) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", "")


def test_every_url_answers_every_role_as_the_table_says(world, samples):
    rules = table()
    mismatches, checked = [], 0
    for rule in rules:
        url = rule.url.format(**samples)
        for role in ROLES:
            status, location = outcome(world.users.get(role), rule.method, url)
            checked += 1
            expected = rule.expected[role]
            to_login = role != "anonymous" or status != 302 or "login/" in location
            if status != expected or not to_login:
                mismatches.append(
                    f"{rule.method} {url} ({role}): {status} {location}, ждали {expected}"
                )
    assert mismatches == []
    assert checked == len(rules) * len(ROLES) >= 400
    print(f"\nАудит доступа: {len(rules)} адресов × {len(ROLES)} ролей = {checked} запросов")
