"""factory_boy factories for every record; valid by default (СНИЛС with a right checksum)."""

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from profdev import models
from profdev.text import snils_checksum

_snils_numbers = itertools.count(2_000_000)


def next_snils() -> str:
    first_nine = f"{next(_snils_numbers):09d}"
    return f"{first_nine}{snils_checksum(first_nine):02d}"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.District
        django_get_or_create = ["code"]

    code = "ZH"
    name = "Тестовый муниципальный район"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"S-{n:03d}")
    name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"МБОУ «Школа № {n}»")
    kind = models.School.Kind.GENERAL
    head_name = "Иванова Мария Петровна"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Provider

    name = factory.Sequence(lambda n: f"Институт развития образования {n}")
    kind = models.Provider.Kind.REGIONAL
    licence = factory.Sequence(lambda n: f"Л035-{n:05d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    snils = factory.LazyFunction(next_snils)
    last_name = factory.Sequence(lambda n: f"Петрова{n}")
    first_name = "Анна"
    middle_name = "Сергеевна"
    sex = models.Person.Sex.FEMALE
    birth_date = dt.date(1980, 5, 17)
    education = models.Person.Education.HIGHER_PED
    experience_since = dt.date(2005, 9, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Employment

    person = factory.SubFactory(PersonFactory)
    school = factory.SubFactory(SchoolFactory)
    position = "учитель математики"
    category = models.Employment.Category.PEDAGOGICAL
    workplace = models.Employment.Workplace.MAIN
    hired_on = dt.date(2010, 9, 1)
    dismissed_on = None


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CourseCompletion

    person = factory.SubFactory(PersonFactory)
    kind = models.CourseCompletion.Kind.PK
    programme = factory.Sequence(lambda n: f"Программа повышения квалификации {n}")
    provider = factory.SubFactory(ProviderFactory)
    hours = 36
    form = models.CourseCompletion.Form.FULL_TIME
    distance = False
    finished_on = dt.date(2024, 11, 15)
    topics = ""


class AttestationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attestation

    person = factory.SubFactory(PersonFactory)
    date = dt.date(2024, 3, 1)
    result = models.Attestation.Result.FIRST


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContestParticipation

    person = factory.SubFactory(PersonFactory)
    name = "Учитель года"
    level = models.ContestParticipation.Level.MUNICIPAL
    result = models.ContestParticipation.Result.PARTICIPANT
    date = dt.date(2025, 2, 10)


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MentorshipPair

    mentor = factory.SubFactory(PersonFactory)
    mentee = factory.SubFactory(PersonFactory)
    started_on = dt.date(2024, 9, 1)


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DeficitDiagnostic

    person = factory.SubFactory(PersonFactory)
    date = dt.date(2024, 10, 1)
    instrument = "ЕФОМ"
    subject = 75
    methodical = 70
    assessment = 65
    psychological = 80
    communicative = 90
    digital = 60


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DevelopmentRoute

    person = factory.SubFactory(PersonFactory)
    started_on = dt.date(2024, 10, 15)
    curator = "Смирнова Ольга Ивановна"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProfessionalActivity

    person = factory.SubFactory(PersonFactory)
    kind = models.ProfessionalActivity.Kind.EXPERT
    description = "член предметной комиссии ГИА"
    date = dt.date(2025, 5, 20)


class BurnoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BurnoutRecord

    person = factory.SubFactory(PersonFactory)
    date = dt.date(2025, 3, 1)
    level = models.BurnoutRecord.Level.LOW


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vacancy

    school = factory.SubFactory(SchoolFactory)
    position = "учитель физики"
    count = 1
    opened_on = dt.date(2025, 6, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleGrant

    user = factory.SubFactory(UserFactory)
    role = models.RoleGrant.Role.METHODOLOGIST


class StudentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StudentResult

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    procedure = models.StudentResult.Procedure.VPR
    subject = models.Subject.MATHS
    grade = 5
    participants = 50
    failed = 5
