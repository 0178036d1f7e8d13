"""A small district for the security tests: the example workbook of tests/data, computed and
stored, and one user of every role."""

import datetime as dt
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command

from deficits.services import order_build
from effectiveness.models import Measure
from monitoring.models import MonitoringYear
from monitoring.services import compute_year
from profdev.models import (
    CourseCompletion,
    DevelopmentRoute,
    District,
    Job,
    Person,
    Provider,
    RoleGrant,
    School,
)
from profdev.roles import grant_role
from profdev.uploads import upload_create
from recommendations.drafting import letters_draft
from recommendations.models import Letter, RecommendationRule
from recommendations.services import letter_sign
from tests.data import EXAMPLE
from tests.recommendations.factories import OrganisationFactory

YEAR = 2024
Role = RoleGrant.Role


@dataclass
class World:
    district: District
    school: School  # administered by `users["school_admin"]`
    other_school: School  # administered by `users["other_school_admin"]`
    users: dict  # role name → user (no entry for the anonymous visitor)


def load_example(district: District) -> None:
    call_command("import_workbook", str(EXAMPLE), stdout=StringIO())
    compute_year(district, YEAR)


@pytest.fixture
def world(district) -> World:
    load_example(district)
    school, other_school = School.objects.order_by("code")[:2]
    grants = {
        "school_admin": {"role": Role.SCHOOL_ADMIN, "school_code": school.code},
        "other_school_admin": {"role": Role.SCHOOL_ADMIN, "school_code": other_school.code},
        "methodologist": {"role": Role.METHODOLOGIST},
        "head": {"role": Role.HEAD},
        "regional_methodologist": {"role": Role.REGIONAL_METHODOLOGIST},
        "admin": {"role": Role.ADMIN},
    }
    users = {name: grant_role(username=name, **grant).user for name, grant in grants.items()}
    return World(district, school, other_school, users)


@pytest.fixture
def signed_letter(world) -> Letter:
    """The letter to `world.school` for 2024, signed by the head with a development
    certificate."""
    OrganisationFactory(district=world.district)
    head = world.users["head"]
    call_command("make_dev_certificate", user=head.username, name="Олейникова Ольга Владимировна")
    letters_draft(year=MonitoringYear.objects.get(district=world.district, year=YEAR))
    return letter_sign(letter=Letter.objects.get(school=world.school), user=head)


@pytest.fixture
def samples(world, signed_letter):
    """The objects the sample requests of docs/access-control.md name: all of
    `world.school` (own school)."""
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
    order = order_build(district=world.district, year=YEAR, user=methodologist)
    provider = Provider.objects.create(
        name="ГАУ ДПО «Институт развития образования»", kind="regional"
    )
    order.lines.filter(component="digital").update(provider=provider, number=1)
    upload = upload_create(
        user=world.users["school_admin"],
        school=world.school,
        filename="ZH-01.xlsx",
        content=EXAMPLE.read_bytes(),
    )
    proposal = Provider.objects.create(name="АНО «Предложенная»", kind="external", confirmed=False)
    proposal.proposed_by.add(world.school)
    return {
        "school": world.school.code,
        "person": person.pk,
        "course": CourseCompletion.objects.filter(person=person).first().pk,
        "route": DevelopmentRoute.objects.get_or_create(
            person=person, started_on=dt.date(2025, 1, 15)
        )[0].pk,
        "job": job.pk,
        "upload": upload.pk,
        "year_id": year.pk,
        "letter": signed_letter.pk,
        "draft": Letter.objects.get(monitoring_year=year, school=None).pk,
        "token": signed_letter.token,
        "rule": RecommendationRule.objects.order_by("pk").first().pk,
        "measure": measure.pk,
        "proposal": proposal.pk,
        "provider": provider.pk,
    }
