import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F

from effectiveness.demo import MEASURES, load_measures
from effectiveness.models import Measure
from recommendations.demo import load_letters
from recommendations.models import Letter, LetterEvent
from recommendations.pdf import executor_name
from tests import factories

pytestmark = pytest.mark.django_db

DEMO_PEOPLE = {"drafter": "metodist", "signer": "nachalnik"}


def test_demo_letters_and_measures_load_once(
    district, school, other_school, head, methodologist, two_years
):
    head.username = "nachalnik"
    head.save()
    methodologist.username, methodologist.last_name = "metodist", "Смирнова"
    methodologist.first_name = "Ольга Викторовна"
    methodologist.save()
    call_command("make_dev_certificate", user="nachalnik", name="Олейникова Ольга Владимировна")
    factories.RoleGrantFactory(
        user=factories.UserFactory(username="ou-S-1"), role="school_admin", school=school
    )
    school.code = "S-1"  # an odd last digit: this school confirms receipt
    school.save()

    first = load_letters(**DEMO_PEOPLE, district_code=district.code, years=(2023,))
    assert first == "2023/2024: писем 3, подписано сейчас 3"
    letters = Letter.objects.filter(monitoring_year__year=2023)
    assert all(letter.is_signed for letter in letters)
    # Drafted by the methodologist (the executor's mark), signed by the head.
    assert {(letter.executor, letter.signed_by) for letter in letters} == {(methodologist, head)}
    assert executor_name(methodologist) == "Смирнова Ольга Викторовна"
    confirmed = LetterEvent.objects.filter(kind=LetterEvent.Kind.CONFIRMED)
    assert [e.letter.school for e in confirmed] == [school]

    assert load_measures(district_code=district.code, first_year=2023) == (
        f"мероприятий {len(MEASURES)}: создано {len(MEASURES)}, уже были 0"
    )
    seminar = Measure.objects.get(title__startswith="Семинар «Индивидуальный")
    assert seminar.date == dt.date(2024, 10, 17)
    assert list(seminar.schools.all()) == [school]  # IOM yellow in 2023/2024
    assert seminar.letter == letters.get(school__isnull=True)
    method_day = Measure.objects.get(title__startswith="Методический день")
    assert list(method_day.schools.order_by("code")) == [school, other_school]  # DIAG red
    assert method_day.letter is None  # dated 2023/2024: no letters of the year before

    again = load_letters(**DEMO_PEOPLE, district_code=district.code, years=(2023,))
    assert again == "2023/2024: писем 3, подписано сейчас 0"
    assert "создано 0" in load_measures(district_code=district.code, first_year=2023)
    assert Measure.objects.count() == len(MEASURES)
    assert confirmed.count() == 1


def test_in_the_current_year_one_letter_stays_a_draft_and_one_awaits_signature(
    district, school, other_school, head, methodologist, two_years
):
    head.username, methodologist.username = "nachalnik", "metodist"
    head.save()
    methodologist.save()
    call_command("make_dev_certificate", user="nachalnik", name="Олейникова Ольга Владимировна")
    arguments = {**DEMO_PEOPLE, "district_code": district.code, "years": (2023,)}

    summary = load_letters(**arguments, in_progress_year=2023)

    assert summary == (
        f"2023/2024: писем 3, подписано сейчас 1; черновик — {school.short_name}, "
        f"на подписи — {other_school.short_name}"
    )
    letters = Letter.objects.filter(monitoring_year__year=2023).order_by(
        F("school__code").asc(nulls_first=True)
    )
    assert [(x.school, x.status, x.executor) for x in letters] == [
        (None, Letter.State.SIGNED, methodologist),
        (school, Letter.State.DRAFT, methodologist),
        (other_school, Letter.State.SENT, methodologist),
    ]
    assert load_letters(**arguments, in_progress_year=2023) == (
        "2023/2024: писем 3, подписано сейчас 0"
    )
    assert [x.status for x in letters.all()] == ["signed", "draft", "sent"]
