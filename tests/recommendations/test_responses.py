"""Schools report back on their letters: each finding answered (what, when, routes, measures)
by the school's administrator until the term; district staff set the term, read the answers
and see who has not answered."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from effectiveness.models import Measure
from effectiveness.services import measure_create
from recommendations.models import FindingResponse, Letter
from recommendations.responses import (
    Answer,
    letter_respond,
    response_due,
    response_term_set,
)
from tests import factories
from tests.html import page, rows, text, texts

pytestmark = pytest.mark.django_db

LETTER_DATE = dt.date(2025, 10, 1)
MSK = dt.timezone(dt.timedelta(hours=3))


def on(day: dt.date):
    """The portal's today is `day` (noon in Moscow)."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 12, tzinfo=MSK))


def mark_signed(letter: Letter, number: str) -> Letter:
    """A drafted letter as signing leaves it (the signing itself is tested elsewhere)."""
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.State.SIGNED,
        number=number,
        date=LETTER_DATE,
        pdf=b"%PDF-1.7 signed",
        sha256="0" * 64,
    )
    return Letter.objects.get(pk=letter.pk)


@pytest.fixture
def letter(letters, school):
    """S-A's letter of 01.10.2025: DIAG, PD_3Y, BURNOUT_HIGH and VACANCY."""
    return mark_signed(letters[school.pk], "01-14/7")


@pytest.fixture
def route(school):
    person = factories.EmploymentFactory(
        school=school, person__last_name="Сидорова", person__first_name="Анна"
    ).person
    return factories.RouteFactory(person=person, started_on=dt.date(2025, 10, 6))


def answer(code="DIAG", done="Педагоги записаны на диагностику", **fields) -> Answer:
    return Answer(
        code=code, done=done, done_on=fields.pop("done_on", dt.date(2025, 10, 10)), **fields
    )


def saved() -> list[tuple[str, str, dt.date]]:
    return list(
        FindingResponse.objects.order_by("indicator_id").values_list(
            "indicator_id", "done", "done_on"
        )
    )


# --- The term ------------------------------------------------------------------------------


def test_the_term_is_thirty_days_after_the_letter_unless_a_methodologist_sets_another(
    letter, letters, methodologist
):
    assert response_due(letter) == dt.date(2025, 10, 31)
    response_term_set(letter=letter, due=dt.date(2025, 11, 15), user=methodologist)
    assert response_due(Letter.objects.get(pk=letter.pk)) == dt.date(2025, 11, 15)
    # The letter's own day is the earliest term.
    response_term_set(letter=letter, due=LETTER_DATE, user=methodologist)
    with pytest.raises(ValidationError) as error:
        response_term_set(letter=letter, due=dt.date(2025, 9, 30), user=methodologist)
    assert error.value.messages == [
        "Срок ответа 30.09.2025 раньше даты письма 01.10.2025: укажите дату не раньше письма."
    ]
    assert response_due(Letter.objects.get(pk=letter.pk)) == LETTER_DATE
    with pytest.raises(ValidationError, match="«Руководителям ОО» не требует ответа ОО"):
        response_term_set(letter=letters[None], due=dt.date(2025, 11, 1), user=methodologist)


def test_a_draft_has_no_term_until_it_is_signed_or_a_methodologist_sets_one(
    letters, school, methodologist
):
    draft = letters[school.pk]
    assert response_due(draft) is None
    response_term_set(letter=draft, due=dt.date(2025, 12, 1), user=methodologist)
    assert response_due(Letter.objects.get(pk=draft.pk)) == dt.date(2025, 12, 1)


# --- Answering -----------------------------------------------------------------------------


def test_answers_are_kept_per_finding_and_replaced_by_a_later_answer(letter, school_admin, route):
    letter_respond(
        letter=letter,
        answers=[answer(routes=[route]), answer("VACANCY", "Объявлен конкурс")],
        user=school_admin,
        today=dt.date(2025, 10, 20),
    )
    letter_respond(
        letter=letter,
        answers=[answer(done="Диагностику прошли 12 педагогов", done_on=dt.date(2025, 10, 20))],
        user=school_admin,
        today=dt.date(2025, 10, 20),
    )
    assert saved() == [
        ("DIAG", "Диагностику прошли 12 педагогов", dt.date(2025, 10, 20)),
        ("VACANCY", "Объявлен конкурс", dt.date(2025, 10, 10)),
    ]
    # The later answer named no route: none is kept.
    assert not FindingResponse.objects.get(indicator="DIAG").routes.exists()


def test_the_school_answers_on_the_last_day_of_the_term_and_not_the_day_after(letter, school_admin):
    letter_respond(
        letter=letter, answers=[answer()], user=school_admin, today=dt.date(2025, 10, 31)
    )
    with pytest.raises(ValidationError) as error:
        letter_respond(
            letter=letter,
            answers=[answer(done="Поздно")],
            user=school_admin,
            today=dt.date(2025, 11, 1),
        )
    assert error.value.messages == [
        "Срок ответа на письмо № 01-14/7 от 01.10.2025 истёк 31.10.2025: ответ изменить нельзя. "
        "Если срок нужно продлить, обратитесь к методисту ИМК."
    ]
    assert saved() == [("DIAG", "Педагоги записаны на диагностику", dt.date(2025, 10, 10))]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"done_on": dt.date(2025, 10, 21)},
            "Дата «когда» 21.10.2025 ещё не наступила: ответ — о том, что уже сделано.",
        ),
        (
            {"done_on": dt.date(2025, 9, 30)},
            "Дата «когда» 30.09.2025 раньше письма № 01-14/7 от 01.10.2025: укажите, что "
            "сделано после письма.",
        ),
        ({"code": "NETWORK"}, "Показателя «NETWORK» нет в письме № 01-14/7 от 01.10.2025."),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_saved(letter, school_admin, bad, message):
    code = bad.pop("code", "DIAG")
    with pytest.raises(ValidationError) as error:
        letter_respond(
            letter=letter,
            answers=[answer("VACANCY", "Объявлен конкурс"), answer(code, **bad)],
            user=school_admin,
            today=dt.date(2025, 10, 20),
        )
    assert error.value.messages == [message]
    assert saved() == []


def test_a_route_of_another_schools_teacher_is_refused(letter, school_admin, other_school):
    stranger = factories.EmploymentFactory(school=other_school).person
    foreign = factories.RouteFactory(person=stranger, started_on=dt.date(2025, 10, 6))
    with pytest.raises(ValidationError) as error:
        letter_respond(
            letter=letter,
            answers=[answer(routes=[foreign])],
            user=school_admin,
            today=dt.date(2025, 10, 20),
        )
    assert error.value.messages == [f"ИОМ не работников ОО нельзя указать: № {foreign.pk}."]
    assert saved() == []


# --- Measures named in an answer ------------------------------------------------------------


@pytest.fixture
def measures(district, school, other_school):
    def measure(title, date, schools):
        return measure_create(
            district=district,
            title=title,
            date=date,
            kind="seminar",
            indicators=[],
            schools=schools,
        )

    return {
        "for S-A": measure("Семинар для СОШ", dt.date(2025, 10, 8), [school]),
        "for all": measure("Методический день", LETTER_DATE, []),
        "for S-B": measure("Семинар для другой ОО", dt.date(2025, 10, 8), [other_school]),
        "before": measure("Совещание до письма", dt.date(2025, 9, 30), [school]),
    }


def test_an_answer_names_the_measures_held_for_the_school_since_the_letter(
    letter, school_admin, measures
):
    ours = [measures["for S-A"].pk, measures["for all"].pk]
    letter_respond(
        letter=letter,
        answers=[answer(links={"measures": ours})],
        user=school_admin,
        today=dt.date(2025, 10, 20),
    )
    response = FindingResponse.objects.get()
    assert sorted(response.measures.values_list("title", flat=True)) == [
        "Методический день",
        "Семинар для СОШ",
    ]
    for other in ("for S-B", "before"):
        with pytest.raises(ValidationError) as error:
            letter_respond(
                letter=letter,
                answers=[answer(links={"measures": [measures[other].pk]})],
                user=school_admin,
                today=dt.date(2025, 10, 20),
            )
        assert error.value.messages == [f"Мероприятия: нельзя указать № {measures[other].pk}."]
    assert Measure.objects.filter(responses=response).count() == 2


# --- Pages ---------------------------------------------------------------------------------


def form_data(**answers) -> dict[str, str]:
    """The form as posted: every finding, empty unless given (code → {field: value})."""
    data = {}
    for code in ("DIAG", "PD_3Y", "BURNOUT_HIGH", "VACANCY"):
        given = answers.get(code, {})
        data[f"{code}-done"] = given.get("done", "")
        data[f"{code}-done_on"] = given.get("done_on", "")
        for field in ("routes", "measures"):
            if field in given:
                data[f"{code}-{field}"] = given[field]
    return data


def test_the_school_administrator_answers_on_the_form_and_district_staff_read_it(
    client_for, letter, school_admin, methodologist, route, measures
):
    client = client_for(school_admin)
    url = reverse("recommendations:response", args=[letter.pk])
    with on(dt.date(2025, 10, 20)):
        form = page(client.get(url))
        assert texts(form, "//legend") == [
            "Доля педагогов, прошедших диагностику профессиональных дефицитов: 45,0\u00a0%",
            *texts(form, "//legend")[1:],
        ]
        assert len(texts(form, "//legend")) == 4
        assert "Ответ принимается до 31.10.2025 включительно." in text(form)
        response = client.post(
            url,
            form_data(
                DIAG={
                    "done": "Диагностику прошли 12 педагогов",
                    "done_on": "20.10.2025",
                    "routes": [str(route.pk)],
                    "measures": [str(measures["for S-A"].pk)],
                },
                VACANCY={"done": "Объявлен конкурс", "done_on": "15.10.2025"},
            ),
        )
        assert response.status_code == 302
        detail = page(client.get(response["Location"]))
        assert "Ответ на письмо № 01-14/7 сохранён: отвечено на 2 из 4 показателей." in text(detail)
        staff_view = page(
            client_for(methodologist).get(reverse("recommendations:detail", args=[letter.pk]))
        )
    table = rows(staff_view, "//table[@id='responses']")
    assert table[1] == [
        "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "Диагностику прошли 12 педагогов",
        "20.10.2025",
        "Сидорова\u00a0А.\u00a0С. — ИОМ с 06.10.2025 Семинар для СОШ (08.10.2025)",
    ]
    assert table[2][1:] == ["нет ответа"]
    assert table[4][1:] == ["Объявлен конкурс", "15.10.2025", "—"]
    assert "Срок ответа — до 31.10.2025." in text(staff_view)


def test_the_form_refuses_a_date_without_words_and_saves_nothing(client_for, letter, school_admin):
    url = reverse("recommendations:response", args=[letter.pk])
    with on(dt.date(2025, 10, 20)):
        response = client_for(school_admin).post(
            url, form_data(DIAG={"done_on": "10.10.2025"}, PD_3Y={"done": "Курсы"})
        )
    assert response.status_code == 400
    html = text(page(response))
    assert "Опишите, что сделано." in html and "Укажите дату: когда это сделано." in html
    assert saved() == []


def test_after_the_term_the_form_only_shows_and_a_post_changes_nothing(
    client_for, letter, school_admin
):
    letter_respond(
        letter=letter, answers=[answer()], user=school_admin, today=dt.date(2025, 10, 20)
    )
    client = client_for(school_admin)
    url = reverse("recommendations:response", args=[letter.pk])
    with on(dt.date(2025, 11, 1)):
        shown = page(client.get(url))
        assert "Срок ответа истёк 31.10.2025: ответ можно только посмотреть." in text(shown)
        assert not shown.xpath("//form[contains(@class, 'record-form')]//button")
        response = client.post(url, form_data(DIAG={"done": "Поздно", "done_on": "01.11.2025"}))
    assert response.status_code == 400
    assert "истёк 31.10.2025: ответ изменить нельзя" in text(page(response))
    assert saved() == [("DIAG", "Педагоги записаны на диагностику", dt.date(2025, 10, 10))]


def test_only_the_schools_administrator_opens_the_form(
    client_for, letter, letters, other_school_admin, methodologist, head, school_admin
):
    url = reverse("recommendations:response", args=[letter.pk])
    for outsider in (other_school_admin, methodologist, head):
        assert client_for(outsider).get(url).status_code == 404
    district_letter = mark_signed(letters[None], "01-14/8")
    assert (
        client_for(school_admin)
        .get(reverse("recommendations:response", args=[district_letter.pk]))
        .status_code
        == 404
    )


def test_a_methodologist_moves_the_term_and_a_school_administrator_cannot(
    client_for, letter, methodologist, school_admin
):
    url = reverse("recommendations:response_term", args=[letter.pk])
    assert client_for(school_admin).post(url, {"due": "30.11.2025"}).status_code == 404
    assert response_due(Letter.objects.get(pk=letter.pk)) == dt.date(2025, 10, 31)
    client = client_for(methodologist)
    response = client.post(url, {"due": "30.11.2025"}, follow=True)
    assert "Срок ответа ОО: до 30.11.2025." in text(page(response))
    response = client.post(url, {"due": "30.09.2025"}, follow=True)
    assert "Срок ответа 30.09.2025 раньше даты письма 01.10.2025" in text(page(response))
    assert response_due(Letter.objects.get(pk=letter.pk)) == dt.date(2025, 11, 30)


def test_the_workspace_shows_the_letter_to_answer_while_it_is_due(
    client_for, letter, school_admin, school
):
    url = reverse("school_workspace", args=[school.code])

    def banner() -> list[str]:
        # Logged in on the day: a session does not outlive a jump back in time.
        response = client_for(school_admin).get(url)
        return texts(page(response), "//*[@data-response-due]")

    with on(dt.date(2025, 10, 31)):
        assert banner() == [
            "Ответ на письмо № 01-14/7 от 01.10.2025 — до 31.10.2025 "
            "(отвечено на 0 из 4 показателей)"
        ]
    with on(dt.date(2025, 11, 1)):
        assert banner() == []
    codes = ("DIAG", "PD_3Y", "BURNOUT_HIGH", "VACANCY")
    letter_respond(
        letter=letter,
        answers=[answer(code) for code in codes],
        user=school_admin,
        today=dt.date(2025, 10, 20),
    )
    with on(dt.date(2025, 10, 20)):
        assert banner() == []


def test_methodologists_list_the_schools_that_have_not_answered(
    client_for, year, numbered, school, methodologist, school_admin, django_assert_num_queries
):
    """S-A answered one finding of four; СОШ № 1 nothing; СОШ № 2 everything (not listed)."""
    for n, name in enumerate(("МБОУ СОШ № 1", "МБОУ СОШ № 2", "МБОУ СОШ № 10"), start=1):
        mark_signed(numbered[name], f"01-14/{n}")
    sa = mark_signed(next(x for x in numbered.values() if x.school_id == school.pk), "01-14/7")
    letter_respond(letter=sa, answers=[answer()], user=school_admin, today=dt.date(2025, 10, 20))
    second = Letter.objects.get(pk=numbered["МБОУ СОШ № 2"].pk)
    FindingResponse.objects.create(
        letter=second, indicator_id="DIAG", done="Сделано", done_on=dt.date(2025, 10, 5)
    )
    url = reverse("recommendations:responses_missing")
    assert client_for(school_admin).get(url).status_code == 404
    client = client_for(methodologist)
    client.get(url)
    # Session, user, grants, the years, the letters with their answers counted; session (3).
    with on(dt.date(2025, 11, 1)), django_assert_num_queries(8):
        response = client.get(url, {"year": year.pk})
    # S-A, «МБОУ «Школа № …»», comes before «МБОУ СОШ …» («« before «С»).
    assert rows(page(response))[1:] == [
        [school.short_name, "№ 01-14/7 от 01.10.2025", "31.10.2025 просрочен", "1 из 4"],
        ["МБОУ СОШ № 1", "№ 01-14/1 от 01.10.2025", "31.10.2025 просрочен", "0 из 1"],
        ["МБОУ СОШ № 10", "№ 01-14/3 от 01.10.2025", "31.10.2025 просрочен", "0 из 1"],
    ]
