import datetime as dt

import pytest

from monitoring.models import CountedSchool, MissingPerson, Status
from profdev.models import School
from recommendations.drafting import letters_draft
from recommendations.kep.services import certificate_register
from recommendations.services import letter_sign
from tests import factories
from tests.recommendations import kep_pki
from tests.recommendations.factories import (
    MonitoringYearFactory,
    OrganisationFactory,
    catalogue,
    value,
)

RED, YELLOW, GREEN, NO_DATA = Status.RED, Status.YELLOW, Status.GREEN, Status.NO_DATA


@pytest.fixture
def year(district, school, other_school):
    """2024/2025 with stored values: S-A in breach (DIAG red, PD_3Y yellow, BURNOUT_HIGH red,
    VACANCY red), S-B with none (and no ИОМ at all); the district row pooled, with the schools
    its counts counted."""
    OrganisationFactory(district=district)
    school.head_name = "Иванов Пётр Сергеевич"
    school.save()
    ind = catalogue()
    y = MonitoringYearFactory(district=district)
    rows = [
        # code, (S-A num, den, status), (S-B num, den, status), (district num, den, status)
        ("DIAG", (9, 20, RED), (18, 20, GREEN), (27, 40, RED)),
        ("PD_3Y", (19, 20, YELLOW), (20, 20, GREEN), (39, 40, YELLOW)),
        ("NETWORK", (15, 20, GREEN), (16, 20, GREEN), (31, 40, GREEN)),
        ("BURNOUT_HIGH", (4, 10, RED), (1, 10, GREEN), (5, 20, RED)),
        ("IOM_TUTOR", (3, 3, GREEN), (0, 0, NO_DATA), (3, 3, GREEN)),
        ("VACANCY", (2, None, RED), (0, None, GREEN), (2, None, RED)),
    ]
    for code, a, b, d in rows:
        value(y, ind[code], school, *a)
        value(y, ind[code], other_school, *b)
        value(y, ind[code], None, *d)
    value(y, ind["SCHOOLS_NO_IOM"], None, 1, None, RED)
    value(y, ind["SCHOOLS_VACANCY"], None, 1, None, RED)
    CountedSchool.objects.create(
        monitoring_year=y, indicator=ind["SCHOOLS_NO_IOM"], school=other_school
    )
    CountedSchool.objects.create(monitoring_year=y, indicator=ind["SCHOOLS_VACANCY"], school=school)
    return y


@pytest.fixture
def staff(year, school):
    """Two teachers of S-A: one diagnosed in the year, one not; stored as the computation
    stores them: missing from DIAG (the one), from PD_3Y (both)."""
    diagnosed = factories.EmploymentFactory(
        school=school, person__last_name="Алексеева", person__first_name="Мария"
    ).person
    factories.DiagnosticFactory(person=diagnosed, date=dt.date(2024, 10, 1))
    missing = factories.EmploymentFactory(
        school=school,
        person__last_name="Сидорова",
        person__first_name="Анна",
        person__middle_name="Павловна",
    ).person
    for person, indicators in ((diagnosed, "PD_3Y"), (missing, "DIAG PD_3Y")):
        MissingPerson.objects.create(
            monitoring_year=year, school=school, person=person, indicators=indicators
        )


@pytest.fixture
def kindergarten(district):
    return factories.SchoolFactory(
        district=district,
        code="D-1",
        kind=School.Kind.PRESCHOOL,
        short_name="МБДОУ «Детский сад № 5»",
        head_name="Петрова Анна Ивановна",
    )


@pytest.fixture
def letters(year, school):
    """The year's drafts by school id (the district letter under None)."""
    report = letters_draft(year=year)
    return {x.school_id: x for x in report.letters}


@pytest.fixture
def signed(letters, school, signer):
    return letter_sign(letter=letters[school.pk], user=signer)


@pytest.fixture
def numbered(year, district):
    """Three more schools in breach, named to sort wrong as text («№ 10» before «№ 2»), and
    the year's drafts by addressee: «Руководителям ОО», «МБОУ СОШ № 1», … and S-A's."""
    diag = catalogue()["DIAG"]
    for n in (10, 2, 1):
        school = factories.SchoolFactory(
            district=district, code=f"N-{n}", short_name=f"МБОУ СОШ № {n}"
        )
        value(year, diag, school, 1, 20, RED)
    return {x.addressee_short: x for x in letters_draft(year=year).letters}


@pytest.fixture(scope="session")
def pki():
    """The КЭП test PKI, built once (its certificates are valid around the real now)."""
    return kep_pki.build(dt.datetime.now(dt.UTC))


@pytest.fixture
def trusted(settings, tmp_path, pki):
    folder = tmp_path / "trusted"
    folder.mkdir()
    for name, data in pki.trusted_files().items():
        (folder / name).write_bytes(data)
    settings.PROFDEV_TRUSTED_CERTS = str(folder)
    return folder


@pytest.fixture
def kep_head(head, trusted, pki):
    head.first_name, head.last_name = "Ольга", "Олейникова"
    head.save()
    certificate_register(
        user=head, data=pki.head.certificate.der, signer_position="Начальник отдела образования"
    )
    return head


@pytest.fixture
def letter(year, school):
    """S-A's draft, awaiting signature."""
    return next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)
