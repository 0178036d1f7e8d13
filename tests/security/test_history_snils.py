"""A card's change history shows no other person's СНИЛС in full (a mentorship names both
sides), and erasing a person leaves their СНИЛС in nobody else's history."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse

from profdev.models import ChangeRecord
from profdev.text import format_snils, mask_snils
from tests import factories


@pytest.fixture
def mentor(school):
    return factories.EmploymentFactory(school=school).person


@pytest.fixture
def mentee(other_school):
    """Another school's teacher (the finding: «наставляемый: → 21603627531» on the card)."""
    return factories.EmploymentFactory(
        school=other_school, person=factories.PersonFactory(snils="21603627531")
    ).person


def add_pair(client, mentor, mentee) -> None:
    response = client.post(
        reverse("record_add", args=[mentor.pk, "mentorship"]),
        {"mentor": mentor.pk, "mentee": mentee.pk, "started_on": "01.09.2024"},
    )
    assert response.status_code == 302


def history_text() -> str:
    return " ".join(str(c) for c in ChangeRecord.objects.values_list("changes", flat=True))


def test_the_history_stores_and_shows_the_other_side_masked(
    client_for, methodologist, school_admin, mentor, mentee
):
    add_pair(client_for(methodologist), mentor, mentee)

    assert mentee.snils not in history_text()
    html = client_for(school_admin).get(reverse("person_card", args=[mentor.pk])).content.decode()
    assert f"наставляемый: — → {mask_snils(mentee.snils)}" in html
    assert mentee.snils not in html and format_snils(mentee.snils) not in html


def test_rows_written_in_full_before_are_shown_masked(client_for, school_admin, mentor, mentee):
    ChangeRecord.objects.create(
        person=mentor,
        source="workbook",
        record_type="наставническая пара",
        record_label="01.09.2024",
        action=ChangeRecord.Action.CREATE,
        changes={"mentor": [None, mentor.snils], "mentee": [None, mentee.snils]},
    )
    html = client_for(school_admin).get(reverse("person_card", args=[mentor.pk])).content.decode()
    assert f"наставляемый: — → {mask_snils(mentee.snils)}" in html
    assert mentee.snils not in html


def test_erasure_scrubs_the_persons_snils_from_other_persons_history(mentor, mentee):
    legacy = ChangeRecord.objects.create(
        person=mentor,
        source="workbook",
        record_type="наставническая пара",
        record_label="01.09.2024",
        action=ChangeRecord.Action.CREATE,
        changes={"mentor": [None, mentor.snils], "mentee": [None, mentee.snils], "x": mentee.snils},
    )

    call_command("erase_person_data", "--snils", mentee.snils, "--confirm", stdout=StringIO())

    legacy.refresh_from_db()
    assert legacy.changes == {
        "mentor": [None, mentor.snils],
        "mentee": [None, mask_snils(mentee.snils)],
        "x": mask_snils(mentee.snils),
    }
    stored = ChangeRecord.objects.annotate(text=Cast("changes", TextField()))
    assert not stored.filter(text__contains=mentee.snils).exists()
