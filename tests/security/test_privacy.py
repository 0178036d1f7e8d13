"""A person's requests: export everything stored about them, and erase it; both logged."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from profdev import models
from profdev.access_log import log_access
from profdev.history import Change, record_changes
from profdev.models import AccessLog, ChangeRecord, Person
from recommendations.models import Letter
from recommendations.people import letter_people
from tests import factories

EVERY_KIND = (
    factories.CourseFactory,
    factories.AttestationFactory,
    factories.ContestFactory,
    factories.DiagnosticFactory,
    factories.RouteFactory,
    factories.ActivityFactory,
    factories.BurnoutFactory,
)


@pytest.fixture
def teacher(school, school_admin):
    person = factories.PersonFactory(
        snils="12345678964", last_name="Соколова", first_name="Елена", middle_name="Игоревна"
    )
    factories.EmploymentFactory(person=person, school=school)
    for kind in EVERY_KIND:
        kind(person=person)
    factories.MentorshipFactory(mentor=person)
    factories.MentorshipFactory(mentee=person)
    record_changes(
        [Change(person.pk, "Работник", "Соколова", ChangeRecord.Action.UPDATE, {"x": [1, 2]})],
        user=school_admin,
        source=ChangeRecord.Source.FORM,
    )
    log_access(user=school_admin, action=AccessLog.Action.VIEW, person=person)
    return person


@pytest.fixture
def bystander(school):
    """Another teacher of the same school: erasure must not touch them."""
    person = factories.PersonFactory()
    factories.EmploymentFactory(person=person, school=school)
    for kind in EVERY_KIND:
        kind(person=person)
    return person


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_export_holds_every_record_of_the_person(teacher, bystander, school_admin):
    data = json.loads(run("export_person_data", "--snils", "123-456-789 64"))

    person = data["работник"]
    assert (person["СНИЛС"], person["фамилия"], person["дата рождения"]) == (
        "12345678964",
        "Соколова",
        "1980-05-17",
    )
    counts = {title: len(rows) for title, rows in data["записи"].items()}
    assert counts == {
        "трудоустройства": 1,
        "пройденные программы": 1,
        "аттестации": 1,
        "участие в конкурсах": 1,
        "наставнические пары (наставник)": 1,
        "наставнические пары (наставляемый)": 1,
        "диагностики дефицитов": 1,
        "индивидуальные образовательные маршруты": 1,
        "профессиональная деятельность": 1,
        "диагностики выгорания": 1,
        "поимённые списки мониторинга": 0,  # none computed here
        "выявленные дефициты": 0,
        "история изменений": 1,
        "журнал обращений к персональным данным": 1,
    }
    employment = data["записи"]["трудоустройства"][0]
    assert employment["ОО"] == teacher.employments.get().school.short_name
    assert employment["категория работника"] == "педагогический"
    assert employment["дата приема"] == "2010-09-01"
    assert data["записи"]["журнал обращений к персональным данным"][0]["пользователь"] == (
        school_admin.username
    )
    assert data["подписанные письма, в которых упомянут"] == 0
    assert bystander.last_name not in json.dumps(data, ensure_ascii=False)


def test_export_is_logged_and_can_go_to_a_file(teacher, tmp_path, caplog):
    target = tmp_path / "person.json"
    with caplog.at_level("INFO", logger="profdev.audit"):
        out = run("export_person_data", "--snils", "12345678964", "--out", str(target))

    assert out.strip() == f"Данные работника записаны: {target}"
    assert json.loads(target.read_text(encoding="utf-8"))["работник"]["имя"] == "Елена"
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.person, entry.user) == (teacher, None)
    assert "запрос субъекта персональных данных" in caplog.text
    assert "кто: команда (" in caplog.text


@pytest.mark.parametrize(
    ("snils", "message"),
    [
        ("123-456-789 01", "неверное контрольное число СНИЛС"),
        ("12345", "не СНИЛС: нужно 11 цифр"),
        ("112-233-445 95", "Работника со СНИЛС 112-233-445 95 в системе нет."),
    ],
)
@pytest.mark.parametrize("command", ["export_person_data", "erase_person_data"])
def test_a_wrong_or_unknown_snils_is_refused_in_russian(teacher, command, snils, message):
    with pytest.raises(CommandError, match=message):
        run(command, "--snils", snils)
    assert Person.objects.filter(pk=teacher.pk).exists()


def test_erasure_without_confirm_shows_what_would_go_and_erases_nothing(teacher):
    out = run("erase_person_data", "--snils", "12345678964")

    assert "Работник: Соколова Елена Игоревна, СНИЛС ***-***-*** 64" in out
    assert "будет удалено — пройденные программы: 1" in out
    assert "будет удалено — история изменений: 1" in out
    assert "журнал обращений" not in out
    assert "Ничего не удалено: чтобы удалить, повторите команду с --confirm." in out
    assert Person.objects.filter(pk=teacher.pk).exists()


def test_erasure_removes_the_person_and_their_records_only(teacher, bystander, caplog):
    kinds = [k._meta.model for k in EVERY_KIND]
    bystander_rows = [m.objects.filter(person=bystander).count() for m in kinds]

    with caplog.at_level("INFO", logger="profdev.audit"):
        out = run("erase_person_data", "--snils", "12345678964", "--confirm")

    assert not Person.objects.filter(snils="12345678964").exists()
    assert "удалено — наставнические пары (наставник): 1" in out
    assert "удалено — история изменений: 1" in out
    assert "Подписанные письма, в которых упомянут работник, не изменены: 0" in out
    for model in kinds:
        assert not model.objects.filter(person_id=teacher.pk).exists()
    assert not models.MentorshipPair.objects.filter(mentor_id=teacher.pk).exists()
    assert [m.objects.filter(person=bystander).count() for m in kinds] == bystander_rows
    assert models.Employment.objects.filter(person=bystander).count() == 1
    assert not ChangeRecord.objects.filter(record_label="Соколова").exists()
    # The accounting of access stays, without the link to the person.
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, person=None).count() == 1
    # The erasure is recorded without the name.
    erasure = ChangeRecord.objects.get(source=ChangeRecord.Source.ERASURE)
    assert (erasure.action, erasure.record_label, erasure.person) == (
        ChangeRecord.Action.DELETE,
        "работник, СНИЛС ***-***-*** 64",
        None,
    )
    assert "Удаление: работник, СНИЛС ***-***-*** 64" in caplog.text
    assert "Соколова" not in caplog.text


def test_erasure_keeps_the_signed_letters_naming_the_person_and_says_so(client, signed_letter):
    named = Person.objects.get(last_name="Беляева", first_name="Ольга")  # «Беляева О. И.»
    assert "Беляева\u00a0О.\u00a0И." in letter_people(signed_letter)  # in the appendix
    pdf, sha256 = bytes(signed_letter.pdf), signed_letter.sha256
    exported = json.loads(run("export_person_data", "--snils", named.snils))
    assert exported["подписанные письма, в которых упомянут"] == 1

    out = run("erase_person_data", "--snils", named.snils, "--confirm")

    assert "Подписанные письма, в которых упомянут работник, не изменены: 1" in out
    assert not Person.objects.filter(pk=named.pk).exists()
    letter = Letter.objects.get(pk=signed_letter.pk)
    assert (bytes(letter.pdf), letter.sha256, letter.body) == (pdf, sha256, signed_letter.body)
    page = client.get(reverse("recommendations:verify", args=[letter.token])).content.decode()
    assert "Подпись действительна" in page
