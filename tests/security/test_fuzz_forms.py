"""Hostile values in every field of every data-entry form, posted by a school administrator to
the card of a teacher their school keeps and of a part-timer it does not keep, with chosen
persons, schools and providers among every id in the database. A form never crashes: it
saves a valid record within the user's reach, or answers with Russian messages and changes
nothing; a part-timer's records, personal data and any record of a person outside the
school's reach are never written (the importer's rules, `test_fuzz_importer.py`)."""

from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from profdev.models import ChangeRecord, Employment, MentorshipPair, Person
from profdev.views import RECORD_SHEETS
from profdev.workbook.importer import state_token
from tests import factories
from tests.html import form_errors, page
from tests.security.test_fuzz_importer import FUZZ, HOSTILE_TEXT

TRIED = Counter()
PART_TIME = Employment.Workplace.PART_TIME

TEXT = st.one_of(
    HOSTILE_TEXT,
    st.text(max_size=60),
    st.text(min_size=300, max_size=1200),  # over every field's length
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.dates().map(lambda d: f"{d:%d.%m.%Y}"),
    st.just(""),
)
CHOICE_LABELS = st.sampled_from(
    ["ПК", "ПП", "очная", "заочная", "первая", "высшая", "основное", "совместительство", "ж", "м"]
)


@pytest.fixture
def people(school, other_school):
    """A teacher S-A keeps, a part-timer it does not, another school's teacher, a provider."""
    kept = factories.EmploymentFactory(school=school).person
    part_timer = factories.EmploymentFactory(school=other_school).person
    factories.EmploymentFactory(person=part_timer, school=school, workplace=PART_TIME)
    theirs = factories.EmploymentFactory(school=other_school).person
    return kept, part_timer, theirs, factories.ProviderFactory()


def valid_values(kind: str, school, provider, kept) -> dict[str, str]:
    """A record each form saves as it is: the fuzzer breaks one to three of its fields."""
    return {
        "employments": {
            "school": school.pk,
            "position": "учитель музыки",
            "category": "педагогический",
            "workplace": "совместительство",
            "hired_on": "01.09.2024",
        },
        "courses": {
            "kind": "ПК",
            "programme": "Функциональная грамотность",
            "provider": provider.pk,
            "hours": "36",
            "form": "очная",
            "finished_on": "15.11.2024",
            "topics": ["цифровые"],
        },
        "attestations": {"date": "01.03.2024", "result": "первая"},
        "contests": {
            "name": "Учитель года",
            "level": "муниципальный",
            "result": "участник",
            "date": "01.03.2024",
        },
        "mentorship": {"mentor": kept.pk, "mentee": kept.pk, "started_on": "01.09.2024"},
        "diagnostics": {"date": "01.03.2024", "instrument": "ЕФОМ", "subject": "50"},
        "activities": {"kind": "эксперт", "description": "член комиссии", "date": "01.03.2024"},
        "burnout": {"date": "01.03.2024", "level": "низкий"},
    }[kind]


def form_fields(kind: str) -> list[str]:
    sheet = RECORD_SHEETS[kind]
    return [c.field for c in sheet.columns if not c.person and c.field != "person"]


def ids() -> st.SearchStrategy:
    """Any id of a person, school or provider (the fixtures' ids are small), or none."""
    return st.one_of(st.integers(min_value=1, max_value=30).map(str), st.just(""))


HOSTILE = st.one_of(TEXT, CHOICE_LABELS, ids(), st.just("on"))


def broken(valid: dict, fields: list[str]) -> st.SearchStrategy:
    """`valid` with one to three of `fields` given hostile values (or none: valid as it is)."""
    names = st.lists(st.sampled_from(fields), max_size=3, unique=True)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({f: HOSTILE for f in chosen}).map(
            lambda hostile: {**valid, **hostile}
        )
    )


def russian(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" for ch in text)


def assert_answered_safely(response, before: str, user_reach: set[int]) -> None:
    assert response.status_code in (200, 302, 404), response.status_code
    if response.status_code != 302:
        assert state_token() == before  # nothing half-written
        if response.status_code == 200:
            errors = [m for ms in form_errors(page(response)).values() for m in ms]
            assert errors and all(russian(m) for m in errors), errors
        TRIED["refused"] += 1
        return
    TRIED["saved"] += 1
    touched = set(ChangeRecord.objects.values_list("person_id", flat=True))
    assert touched <= user_reach, touched


FORM_FUZZ = settings(FUZZ, max_examples=25)
# Every kind on the card of a kept teacher; a part-timer's card has employments alone (its
# other record pages answer 404: test_takeover.py).
CASES = [*((kind, "kept") for kind in RECORD_SHEETS), ("employments", "part_timer")]


@pytest.mark.parametrize(("kind", "whose"), CASES)
@FORM_FUZZ
@given(data=st.data())
def test_hostile_values_in_every_form_are_refused_or_saved_within_reach(
    client_for, school_admin, school, people, kind, whose, data
):
    kept, part_timer, _theirs, provider = people
    person = kept if whose == "kept" else part_timer
    values = data.draw(broken(valid_values(kind, school, provider, kept), form_fields(kind)))
    client = client_for(school_admin)
    with transaction.atomic():
        before = state_token()
        employments = set(Employment.objects.values_list("pk", flat=True))
        response = client.post(reverse("record_add", args=[person.pk, kind]), values)
        TRIED[f"{kind} ({whose})"] += 1
        assert_answered_safely(response, before, {person.pk})
        if response.status_code == 302 and kind == "employments":
            new = Employment.objects.exclude(pk__in=employments)
            assert [(e.person_id, e.school_id) for e in new] == [(person.pk, school.pk)]
        # S-A keeps one person: a pair of two kept persons cannot be formed.
        assert not MentorshipPair.objects.exists()
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_hostile_personal_data_of_a_part_timer_is_never_written(
    client_for, school_admin, people, data
):
    _kept, part_timer, _theirs, _provider = people
    fields = ["snils", "last_name", "first_name", "middle_name", "sex", "birth_date"]
    fields += ["education", "experience_since", "version"]
    values = data.draw(st.fixed_dictionaries({f: HOSTILE for f in fields}))
    stored = Person.objects.values().get(pk=part_timer.pk)
    response = client_for(school_admin).post(reverse("person_edit", args=[part_timer.pk]), values)
    TRIED["personal data (part-timer)"] += 1
    assert response.status_code == 404
    assert Person.objects.values().get(pk=part_timer.pk) == stored


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\nФаззинг форм:", dict(TRIED))
