"""The school's students' results, one academic year on one screen (results.md)."""

from decimal import Decimal

import pytest

from profdev.models import ChangeRecord, StudentResult
from profdev.workbook.importer import import_workbook
from tests import factories
from tests.html import page, text
from tests.profdev.student_results import stored_results
from tests.profdev.workbook.builders import school as school_cells
from tests.profdev.workbook.builders import xlsx

URL = "/schools/S-A/results/2024/"


def page_text(response) -> str:
    return text(page(response))


FIELDS = ("procedure", "subject", "grade", "participants", "failed", "average_score")


def row(procedure="ВПР", subject="математика", grade="5", participants="48", failed="9", score=""):
    return dict(zip(FIELDS, (procedure, subject, grade, participants, failed, score), strict=True))


def post_data(rows: list[dict], stored: list[StudentResult] = (), **extra) -> dict:
    """The form as the browser sends it: the stored rows first (with their ids), then
    `rows`; a row's "DELETE": "on" marks it for deletion."""
    data = {
        "results-TOTAL_FORMS": str(len(rows)),
        "results-INITIAL_FORMS": str(len(stored)),
        "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for n, values in enumerate(rows):
        for name, value in values.items():
            data[f"results-{n}-{name}"] = value
    return data


def test_a_deputy_head_fills_in_a_years_results_on_one_screen(client_for, school_admin, school):
    client = client_for(school_admin)
    response = client.post(
        URL,
        post_data(
            [
                row(),
                row(subject="Русский язык", participants="50", failed="50", score="3,125"),
                row(procedure="ЕГЭ", subject="физика", grade="11", participants="7", failed="0"),
                {name: "" for name in FIELDS},  # an empty row is left out
            ]
        ),
    )
    assert response.status_code == 302 and response["Location"] == URL
    assert stored_results() == [
        ("S-A", 2024, "vpr", "maths", 5, 48, 9, None),
        ("S-A", 2024, "vpr", "russian", 5, 50, 50, Decimal("3.13")),
        ("S-A", 2024, "ege", "physics", 11, 7, 0, None),
    ]
    changes = ChangeRecord.objects.filter(school=school).order_by("pk")
    assert [(c.action, c.record_label, c.user) for c in changes] == [
        ("create", "2024/2025, ВПР, математика, 5", school_admin),
        ("create", "2024/2025, ВПР, русский язык, 5", school_admin),
        ("create", "2024/2025, ЕГЭ, физика, 11", school_admin),
    ]
    text = page_text(client.get(URL))
    assert "Результаты 2024/2025 сохранены." in text
    assert "История изменений результатов" in text
    assert "средний балл: — → 3.13" in text


def test_rows_are_changed_and_deleted_and_the_history_says_so(client_for, school_admin, school):
    maths = factories.StudentResultFactory(school=school)
    physics = factories.StudentResultFactory(school=school, subject="physics", grade=7)
    older = factories.StudentResultFactory(school=school, year=2023)
    stored = [maths, physics]
    response = client_for(school_admin).post(
        URL,
        post_data(
            [
                {**row(participants="50", failed="6"), "id": str(maths.pk)},
                {
                    **row(subject="физика", grade="7", participants="50", failed="5"),
                    "id": str(physics.pk),
                    "DELETE": "on",
                },
                row(subject="химия", grade="8", participants="20", failed="1"),
            ],
            stored,
        ),
    )
    assert response.status_code == 302
    assert stored_results() == [
        ("S-A", 2024, "vpr", "maths", 5, 50, 6, None),
        ("S-A", 2023, "vpr", "maths", 5, 50, 5, None),
        ("S-A", 2024, "vpr", "chemistry", 8, 20, 1, None),
    ]
    assert StudentResult.objects.filter(pk=older.pk).exists()
    changes = ChangeRecord.objects.filter(school=school).order_by("pk")
    assert [(c.action, c.record_label, c.changes) for c in changes] == [
        (
            "delete",
            "2024/2025, ВПР, физика, 7",
            {
                "school": ["S-A", None],
                "year": [2024, None],
                "procedure": ["vpr", None],
                "subject": ["physics", None],
                "grade": [7, None],
                "participants": [50, None],
                "failed": [5, None],
            },
        ),
        ("update", "2024/2025, ВПР, математика, 5", {"failed": [5, 6]}),
        (
            "create",
            "2024/2025, ВПР, химия, 8",
            {
                "school": [None, "S-A"],
                "year": [None, 2024],
                "procedure": [None, "vpr"],
                "subject": [None, "chemistry"],
                "grade": [None, 8],
                "participants": [None, 20],
                "failed": [None, 1],
            },
        ),
    ]


@pytest.mark.parametrize(
    "values, field, message",
    [
        (row(failed="49"), "failed", "«49» — больше, чем участников (48)"),
        (row(participants="0"), "participants", "«0» — число должно быть не меньше 1"),
        (row(grade="12"), "grade", "«12» — число должно быть от 1 до 11"),
        (row(grade="0"), "grade", "«0» — число должно быть от 1 до 11"),
        (row(score="-1"), "average_score", "«-1» — число должно быть от 0 до 99999,99"),
        (
            row(subject="алгебра"),
            "subject",
            "«алгебра» — нет такого значения; допустимо: русский язык · математика · физика · "
            "химия · биология · география · история · обществознание · информатика · "
            "литература · иностранный язык · окружающий мир",
        ),
        (row(participants=""), "participants", "обязательное поле не заполнено"),
    ],
)
def test_a_bad_row_is_refused_in_russian_and_nothing_is_saved(
    client_for, school_admin, school, values, field, message
):
    response = client_for(school_admin).post(URL, post_data([row(subject="физика"), values]))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors == {field: [message]}
    assert "Не сохранено: исправьте отмеченные строки." in page_text(response)
    assert StudentResult.objects.count() == 0
    assert ChangeRecord.objects.count() == 0


def test_the_same_procedure_subject_and_grade_twice_is_refused(client_for, school_admin, school):
    stored = factories.StudentResultFactory(school=school)
    response = client_for(school_admin).post(
        URL, post_data([{**row(), "id": str(stored.pk)}, row(participants="30")], [stored])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["grade"] == [
        "такая строка уже есть: совпадают процедура, предмет и параллель"
    ]
    assert stored_results() == [("S-A", 2024, "vpr", "maths", 5, 50, 5, None)]


def test_two_rows_may_swap_their_subjects_in_one_save(client_for, school_admin, school):
    maths = factories.StudentResultFactory(school=school, participants=48)
    russian = factories.StudentResultFactory(school=school, subject="russian", participants=50)
    response = client_for(school_admin).post(
        URL,
        post_data(
            [
                {**row(subject="Русский язык", participants="48"), "id": str(maths.pk)},
                {**row(subject="математика", participants="50"), "id": str(russian.pk)},
            ],
            [maths, russian],
        ),
    )
    assert response.status_code == 302
    assert stored_results() == [
        ("S-A", 2024, "vpr", "russian", 5, 48, 9, None),
        ("S-A", 2024, "vpr", "maths", 5, 50, 9, None),
    ]
    assert list(StudentResult.objects.order_by("pk").values_list("pk", flat=True)) == [
        maths.pk,
        russian.pk,
    ]
    changes = ChangeRecord.objects.filter(school=school).order_by("pk")
    assert [(c.action, c.changes) for c in changes] == [
        ("update", {"subject": ["maths", "russian"], "failed": [5, 9]}),
        ("update", {"subject": ["russian", "maths"], "failed": [5, 9]}),
    ]


def test_a_row_another_user_saved_meanwhile_is_not_overwritten(client_for, school_admin, school):
    mine = factories.StudentResultFactory(school=school, subject="physics", grade=7)
    client = client_for(school_admin)
    client.get(URL)  # the table is open with one row …
    theirs = factories.StudentResultFactory(school=school, participants=30)  # … another user
    response = client.post(
        URL,
        post_data(
            [
                {**row(subject="физика", grade="7", participants="40"), "id": str(mine.pk)},
                row(participants="48"),  # the key another user saved meanwhile
            ],
            [mine],
        ),
    )
    assert response.status_code == 200
    assert (
        "Строка «2024/2025, ВПР, математика, 5» уже есть: её сохранил другой пользователь, пока "
        "таблица была открыта. Ничего не сохранено; откройте результаты заново."
    ) in page_text(response)
    assert stored_results() == [
        ("S-A", 2024, "vpr", "physics", 7, 50, 5, None),
        ("S-A", 2024, "vpr", "maths", 5, 30, 5, None),
    ]
    assert StudentResult.objects.get(pk=theirs.pk).participants == 30
    assert not ChangeRecord.objects.exists()


@pytest.mark.parametrize("rows", [2, 28])
def test_saving_the_table_takes_the_same_queries_for_2_or_28_rows(
    client_for, school_admin, school, django_assert_max_num_queries, rows
):
    stored = [factories.StudentResultFactory(school=school, grade=g) for g in (1, 2, 3)]
    new = [
        row(subject=subject, grade=str(grade))
        for subject in ("химия", "физика", "биология", "история")
        for grade in range(5, 12)
    ][:rows]
    changed = [
        {**row(grade=str(stored[0].grade), participants="49"), "id": str(stored[0].pk)},
        {**row(grade=str(stored[1].grade)), "id": str(stored[1].pk), "DELETE": "on"},
        {**row(grade=str(stored[2].grade), participants="50", failed="5"), "id": str(stored[2].pk)},
    ]
    client = client_for(school_admin)
    # Session, user, grants, school, the year's rows; in a savepoint: the keys of the rows
    # the table leaves as they are, then in a savepoint of its own the removed and changed
    # rows deleted and inserted again with the new ones (two statements: under their ids, and
    # new), then the history (one statement; PostgreSQL's COPY is not counted); the message in
    # the session (three).
    with django_assert_max_num_queries(17):
        response = client.post(URL, post_data([*changed, *new], stored))
    assert response.status_code == 302
    assert StudentResult.objects.count() == 2 + rows
    assert ChangeRecord.objects.filter(school=school).count() == 2 + rows


def test_another_schools_row_cannot_be_reached_through_the_form(
    client_for, school_admin, school, other_school
):
    theirs = factories.StudentResultFactory(school=other_school)
    response = client_for(school_admin).post(
        URL, post_data([{**row(), "id": str(theirs.pk), "DELETE": "on"}], [theirs])
    )
    assert response.status_code == 200
    assert "строка уже удалена или изменена: откройте результаты заново" in page_text(response)
    assert StudentResult.objects.filter(pk=theirs.pk).exists()


def test_add_rows_offers_more_empty_rows_and_saves_nothing(client_for, school_admin, school):
    response = client_for(school_admin).post(URL, post_data([row()], more="1"))
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 6
    assert response.context["formset"].forms[0]["subject"].value() == "математика"
    assert StudentResult.objects.count() == 0


def test_the_page_lists_the_years_rows_in_order_and_its_other_years(
    client_for, school_admin, school, django_assert_num_queries
):
    client = client_for(school_admin)
    factories.StudentResultFactory(school=school, procedure="ege", grade=11, subject="physics")
    factories.StudentResultFactory(school=school, subject="russian", grade=5)
    factories.StudentResultFactory(school=school, grade=4)
    factories.StudentResultFactory(school=school, year=2019)
    response = client.get(URL)
    forms = response.context["formset"].forms
    assert [
        (f.initial["procedure"], f.initial["grade"], f.initial["subject"]) for f in forms[:3]
    ] == [
        ("ВПР", 4, "математика"),
        ("ВПР", 5, "русский язык"),
        ("ЕГЭ", 11, "физика"),
    ]
    assert len(forms) == 3 + 5  # and the empty rows
    assert "2019/2020" in page_text(response)
    # session, user, grants, school, results, years, history, the navigation's schools, and
    # the session saved again (savepoint, update, release)
    with django_assert_num_queries(11):
        client.get(URL)
    for grade in range(6, 11):
        factories.StudentResultFactory(school=school, grade=grade)
        import_workbook(
            xlsx(
                {
                    "ОО": [
                        school_cells(
                            "S-A",
                            **{
                                "Наименование": school.name,
                                "Краткое наименование": school.short_name,
                            },
                        )
                    ],
                    "Результаты обучающихся": [
                        {
                            "Код ОО": "S-A",
                            "Учебный год": "2024/2025",
                            "Процедура": "ОГЭ",
                            "Предмет": "химия",
                            "Параллель": 9,
                            "Участников": 10 + grade,
                            "Не справились": 1,
                        }
                    ],
                }
            )
        )
    with django_assert_num_queries(11):
        client.get(URL)


def test_the_workspace_leads_to_the_latest_year_with_results(client_for, school_admin, school):
    client = client_for(school_admin)
    assert "/schools/S-A/results/" in client.get("/schools/S-A/").content.decode()
    factories.StudentResultFactory(school=school, year=2022)
    assert client.get("/schools/S-A/results/")["Location"] == "/schools/S-A/results/2022/"


def test_the_methodologist_edits_any_schools_results(client_for, methodologist, school):
    response = client_for(methodologist).post(URL, post_data([row()]))
    assert response.status_code == 302
    assert StudentResult.objects.get().school == school


def test_an_outsider_gets_404(client_for, other_school_admin, school):
    client = client_for(other_school_admin)
    assert client.get("/schools/S-A/results/").status_code == 404
    assert client.get(URL).status_code == 404
    assert client.post(URL, post_data([row()])).status_code == 404
    assert StudentResult.objects.count() == 0


def test_the_teacher_card_shows_the_subjects_and_the_form_edits_them(
    client_for, school_admin, school
):
    person = factories.EmploymentFactory(school=school).person
    client = client_for(school_admin)
    assert "Предметы" in page_text(client.get(f"/persons/{person.pk}/"))
    form = client.get(f"/persons/{person.pk}/edit/").context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    data.update(
        subjects=["физика", "математика"],
        birth_date=f"{person.birth_date:%Y-%m-%d}",
        experience_since=f"{person.experience_since:%Y-%m-%d}",
    )
    response = client.post(f"/persons/{person.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.subjects == ",maths,physics,"
    assert "математика, физика" in page_text(client.get(f"/persons/{person.pk}/"))
