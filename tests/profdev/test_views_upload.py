"""Workbook upload → preview → confirm, and the workbook download (profdev.upload_views)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from profdev import uploads
from profdev.models import (
    AccessLog,
    ChangeRecord,
    CourseCompletion,
    Employment,
    Job,
    Person,
    Upload,
)
from profdev.workbook import importer
from profdev.workbook.sheets import SHEETS
from tests import factories
from tests.factories import next_snils
from tests.html import page as parsed
from tests.html import rows
from tests.profdev.workbook.builders import course, staff, xlsx
from tests.profdev.workbook.builders import school as school_row

RECORD_MODELS = [*(s.model for s in SHEETS), Person, ChangeRecord]
ERRORS = "//table[contains(@class, 'upload-errors')]"
STALE = "Данные в системе изменились после проверки файла"


def record_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in RECORD_MODELS}


def send(client, url, book: io.BytesIO, name="книга.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, book.getvalue())})


def own_school_row(school) -> dict:
    return school_row(
        school.code, **{"Наименование": school.name, "Краткое наименование": school.short_name}
    )


@pytest.fixture
def teacher(school):
    return factories.EmploymentFactory(school=school).person


@pytest.fixture
def institute(db):
    return factories.ProviderFactory(name="ОГБУ ДПО «Институт развития образования»")


@pytest.fixture
def good_book(school, teacher, institute):
    """Two new teachers, a course for each and one for the stored teacher."""
    first, second = next_snils(), next_snils()
    return xlsx(
        {
            "ОО": [own_school_row(school)],
            "Педагоги": [
                staff(first, school.code, **{"Фамилия": "Новикова"}),
                staff(second, school.code, **{"Фамилия": "Соколов", "Пол": "м"}),
            ],
            "Курсы": [course(first), course(second), course(teacher.snils)],
        }
    )


def upload_of(user, school, book) -> Upload:
    content = book.getvalue()
    return uploads.upload_create(user=user, school=school, filename="книга.xlsx", content=content)


# Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school_admin", "methodologist", "head"])
def test_the_school_upload_page_opens_for_its_admin_and_district_staff(
    request, client_for, school, who
):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("school_upload", args=[school.code])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Загрузка книги ОО" in page
    assert reverse("school_workbook", args=[school.code]) in page
    assert 'enctype="multipart/form-data"' in page and "js/upload.js" in page


@pytest.mark.parametrize("who", ["methodologist", "head"])
def test_the_district_upload_page_opens_for_district_staff(request, client_for, district, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("district_upload"))
    assert response.status_code == 200
    assert "Загрузка книги муниципалитета" in response.content.decode()


def test_another_schools_admin_gets_404_for_the_school_pages(
    client_for, other_school_admin, school
):
    client = client_for(other_school_admin)
    assert client.get(reverse("school_upload", args=[school.code])).status_code == 404
    assert client.get(reverse("school_workbook", args=[school.code])).status_code == 404
    assert client.post(reverse("school_upload", args=[school.code])).status_code == 404


def test_a_school_admin_gets_404_for_the_district_pages(client_for, school_admin):
    client = client_for(school_admin)
    assert client.get(reverse("district_upload")).status_code == 404
    assert client.get(reverse("district_workbook")).status_code == 404


def test_an_upload_is_its_uploaders_alone(
    client_for, school_admin, other_school_admin, methodologist, school, good_book
):
    upload = upload_of(school_admin, school, good_book)
    colleague = factories.UserFactory()
    factories.RoleGrantFactory(user=colleague, role="school_admin", school=school)
    before = record_counts()
    for user in (other_school_admin, colleague, methodologist, factories.UserFactory()):
        client = client_for(user)
        assert client.get(reverse("upload", args=[upload.pk])).status_code == 404
        for name in ("upload_confirm", "upload_recheck"):
            assert client.post(reverse(name, args=[upload.pk])).status_code == 404
    assert record_counts() == before


def test_anonymous_goes_to_login(client, school, school_admin, good_book):
    upload = upload_of(school_admin, school, good_book)
    for url in (
        reverse("school_upload", args=[school.code]),
        reverse("school_workbook", args=[school.code]),
        reverse("district_upload"),
        reverse("district_workbook"),
        reverse("upload", args=[upload.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    response = client.post(reverse("upload_confirm", args=[upload.pk]))
    assert response["Location"].startswith(reverse("login"))
    assert Upload.objects.get(pk=upload.pk).status == Upload.Status.CHECKED


# Preview and confirm -----------------------------------------------------------------


def test_preview_writes_nothing_and_confirm_writes_exactly_the_preview(
    client_for,
    school_admin,
    school,
    teacher,
    good_book,
    media_root,
    django_capture_on_commit_callbacks,
):
    client = client_for(school_admin)
    before = record_counts()

    response = send(client, reverse("school_upload", args=[school.code]), good_book)

    upload = Upload.objects.get()
    assert response["Location"] == reverse("upload", args=[upload.pk])
    assert record_counts() == before
    page = client.get(response["Location"])
    html = page.content.decode()
    # sheet: added, changed, deleted, unchanged
    _header, *counted = rows(parsed(page), "//table[contains(@class, 'upload-counts')]")
    counts = {sheet: numbers for sheet, *numbers in counted}
    assert counts["ОО"] == ["0", "0", "0", "1"]
    assert (counts["Педагоги"][0], counts["Курсы"][0]) == ("2", "3")
    assert counts["Всего"] == ["5", "0", "0", "1"]
    assert "Ошибок нет" in html and "Записать изменения" in html
    assert record_counts() == before
    stored = media_root / upload.file.name
    assert stored.read_bytes() == good_book.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("upload_confirm", args=[upload.pk]))

    after = record_counts()
    assert after["Employment"] == before["Employment"] + 2
    assert after["Person"] == before["Person"] + 2
    assert after["CourseCompletion"] == before["CourseCompletion"] + 3
    unchanged = set(before) - {"Employment", "Person", "CourseCompletion", "ChangeRecord"}
    assert {m: after[m] for m in unchanged} == {m: before[m] for m in unchanged}
    assert set(
        Employment.objects.filter(school=school).values_list("person__last_name", flat=True)
    ) >= {"Новикова", "Соколов"}
    assert CourseCompletion.objects.filter(person=teacher).count() == 1
    assert ChangeRecord.objects.filter(user=school_admin, source="workbook").exists()
    newcomer = Employment.objects.get(school=school, person__last_name="Новикова").person
    card = parsed(client.get(reverse("person_card", args=[newcomer.pk])))
    _header, *history = rows(card, "//*[@id='pane-history']//table")
    assert {row[2] for row in history} == {"книга Excel"}
    page = client.get(response["Location"]).content.decode()
    assert "Книга записана: добавлено 5, изменено 0, удалено 0, без изменений 1." in page
    assert reverse("staff_list", args=[school.code]) in page
    upload.refresh_from_db()
    assert (upload.status, upload.file.name, upload.state_token) == (Upload.Status.APPLIED, "", "")
    assert not stored.exists()  # the records hold the data now


def test_a_second_confirmation_writes_nothing_more(client_for, school_admin, school, good_book):
    upload = upload_of(school_admin, school, good_book)
    client = client_for(school_admin)
    client.post(reverse("upload_confirm", args=[upload.pk]))
    after_first = record_counts()

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert record_counts() == after_first
    assert "Книга уже записана." in response.content.decode()


def test_a_broken_workbook_lists_every_error_and_cannot_be_confirmed(
    client_for, school_admin, school, teacher, institute
):
    snils = next_snils()
    book = xlsx(
        {
            "ОО": [own_school_row(school)],
            "Педагоги": [
                staff(snils, school.code),
                staff("123-456-789 00", school.code),
                staff(next_snils(), school.code, **{"Дата приема": "32.01.2020"}),
            ],
            "Курсы": [course(snils), course(teacher.snils, **{"Часы": 10})],
            "Аттестация": [{"СНИЛС": teacher.snils, "Дата": "01.02.2024", "Результат": "вторая"}],
        }
    )
    client = client_for(school_admin)
    before = record_counts()

    response = send(client, reverse("school_upload", args=[school.code]), book)
    page = client.get(response["Location"])

    _header, *errors = rows(parsed(page), ERRORS)  # sheet, row, column, message
    assert [e[:3] for e in errors] == [
        ["Педагоги", "3", "СНИЛС"],
        ["Педагоги", "4", "Дата приема"],
        ["Курсы", "3", "Часы"],
        ["Аттестация", "2", "Результат"],
    ]
    assert errors[0][3].startswith("«123-456-789 00»")
    assert errors[1][3] == "«32.01.2020» — такой даты нет в календаре"
    assert errors[3][3].startswith("«вторая» — нет такого значения")
    html = page.content.decode()
    assert "Ошибок в файле: 4. Ничего не записано" in html
    assert "Записать изменения" not in html

    response = client.post(reverse("upload_confirm", args=[Upload.objects.get().pk]), follow=True)

    assert "Записать нельзя: в файле есть ошибки" in response.content.decode()
    assert record_counts() == before


def test_a_confirmation_after_the_database_changed_is_refused_and_checked_again(
    client_for, school_admin, school, good_book
):
    client = client_for(school_admin)
    send(client, reverse("school_upload", args=[school.code]), good_book)
    upload = Upload.objects.get()
    factories.EmploymentFactory(school=school)  # someone entered a teacher meanwhile
    before = record_counts()

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    html = response.content.decode()
    assert record_counts() == before
    assert STALE in html and "Ничего не записано." in html
    assert "Проверить файл заново" in html and "Записать изменения" not in html
    assert client.post(reverse("upload_confirm", args=[upload.pk])).status_code == 302
    assert record_counts() == before

    response = client.post(reverse("upload_recheck", args=[upload.pk]), follow=True)

    assert "Записать изменения" in response.content.decode()
    client.post(reverse("upload_confirm", args=[upload.pk]))
    assert record_counts()["Employment"] == before["Employment"] + 2


def test_a_file_reading_otherwise_when_confirmed_is_not_written_and_shown_again(
    client_for, school_admin, school, good_book, media_root
):
    """The confirmation reads the stored file again as it writes: if it no longer reads as
    the preview showed, nothing is written and the new reading is the preview."""
    client = client_for(school_admin)
    send(client, reverse("school_upload", args=[school.code]), good_book)
    upload = Upload.objects.get()
    other = xlsx({"ОО": [own_school_row(school)], "Педагоги": [staff(next_snils(), school.code)]})
    (media_root / upload.file.name).write_bytes(other.getvalue())
    before = record_counts()

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert record_counts() == before
    html = response.content.decode()
    assert "При записи файл прочитан не так, как при проверке" in html
    _header, *counted = rows(parsed(response), "//table[contains(@class, 'upload-counts')]")
    assert {sheet: numbers for sheet, *numbers in counted}["Всего"] == ["1", "0", "0", "1"]
    assert "Записать изменения" in html

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert record_counts()["Employment"] == before["Employment"] + 1
    assert "Книга записана: добавлено 1" in response.content.decode()


def test_rights_withdrawn_after_the_check_hold_at_the_confirmation(
    client_for, school_admin, school, other_school
):
    """The confirmation reads the file with the user's rights as they are then: a school
    the user no longer keeps is not written to, whatever the check allowed."""
    grant = factories.RoleGrantFactory(user=school_admin, role="school_admin", school=other_school)
    book = xlsx(
        {
            "ОО": [own_school_row(school), own_school_row(other_school)],
            "Педагоги": [staff(next_snils(), other_school.code)],
        }
    )
    client = client_for(school_admin)
    send(client, reverse("school_upload", args=[school.code]), book)
    upload = Upload.objects.get()
    assert upload.can_confirm
    grant.delete()
    before = record_counts()

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert record_counts() == before
    html = response.content.decode()
    assert "При записи файл прочитан не так, как при проверке" in html
    _header, *errors = rows(parsed(response), ERRORS)
    assert [(e[0], e[3]) for e in errors] == [
        ("ОО", "нет прав на данные ОО с кодом «S-B»"),
        ("Педагоги", "нет прав на данные ОО с кодом «S-B»"),
    ]
    assert "Записать изменения" not in html


def test_a_file_removed_from_the_storage_is_neither_written_nor_checked_again(
    client_for, school_admin, school, good_book, media_root
):
    client = client_for(school_admin)
    send(client, reverse("school_upload", args=[school.code]), good_book)
    upload = Upload.objects.get()
    (media_root / upload.file.name).unlink()  # the storage cleaned behind the portal's back
    before = record_counts()

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert record_counts() == before
    html = response.content.decode()
    assert "Файл удалён: загрузите книгу ещё раз." in html
    assert "Записать изменения" not in html and "Проверить заново" not in html
    assert "Проверить файл заново" not in html  # nor the stale upload's button
    response = client.post(reverse("upload_recheck", args=[upload.pk]), follow=True)
    assert "Файл удалён: загрузите книгу ещё раз." in response.content.decode()
    assert record_counts() == before


def test_the_check_keeps_the_fingerprint_of_the_data_it_read(
    client_for, school_admin, school, good_book
):
    send(client_for(school_admin), reverse("school_upload", args=[school.code]), good_book)
    upload = Upload.objects.get()
    assert upload.state_token == importer.state_token() != ""


def test_a_school_admins_file_touching_another_school_is_refused(
    client_for, school_admin, school, other_school
):
    factories.EmploymentFactory(school=other_school)
    book = xlsx({"ОО": [own_school_row(school)], "Педагоги": [staff(code=other_school.code)]})
    client = client_for(school_admin)
    before = record_counts()

    response = send(client, reverse("school_upload", args=[school.code]), book)
    page = client.get(response["Location"])

    assert rows(parsed(page), ERRORS)[1:] == [
        ["Педагоги", "2", "Код ОО", "нет прав на данные ОО с кодом «S-B»"]
    ]
    assert other_school.short_name not in page.content.decode()
    client.post(reverse("upload_confirm", args=[Upload.objects.get().pk]))
    assert record_counts() == before


def test_a_methodologist_uploads_for_the_whole_district(
    client_for, methodologist, school, other_school, institute
):
    book = xlsx(
        {
            "ОО": [own_school_row(school), own_school_row(other_school)],
            "Педагоги": [staff(code=school.code), staff(code=other_school.code)],
        }
    )
    client = client_for(methodologist)

    response = send(client, reverse("district_upload"), book)
    client.post(reverse("upload_confirm", args=[Upload.objects.get().pk]))

    assert Upload.objects.get().school is None
    assert Employment.objects.filter(school=other_school).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Книга записана: добавлено 2" in page and "На главную" in page


def test_warnings_name_the_ignored_sheets_and_columns(client_for, school_admin, school):
    book = xlsx({"ОО": [own_school_row(school) | {"Телефон": "123"}], "Заметки": [{"a": 1}]})
    client = client_for(school_admin)

    response = send(client, reverse("school_upload", args=[school.code]), book)

    html = client.get(response["Location"]).content.decode()
    assert "Лист «ОО»: столбец «Телефон» не входит в формат и пропущен" in html
    assert "Лист «Заметки» не входит в формат книги и пропущен" in html


def test_an_oversized_file_is_refused_with_a_russian_message(
    client_for, school_admin, school, settings
):
    settings.WORKBOOK_MAX_BYTES = 2**20
    client = client_for(school_admin)

    response = client.post(
        reverse("school_upload", args=[school.code]),
        {"file": SimpleUploadedFile("big.xlsx", b"x" * (2**20 + 1))},
    )

    assert response.status_code == 200
    assert "Файл больше 1 МБ: разделите книгу на несколько файлов." in response.content.decode()
    assert not Upload.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(client_for, school_admin, school):
    client = client_for(school_admin)

    response = client.post(
        reverse("school_upload", args=[school.code]),
        {"file": SimpleUploadedFile("staff.csv", b"a;b\n1;2\n")},
    )
    html = response.content.decode()
    assert "«staff.csv» — не книга Excel .xlsx." in html
    assert not Upload.objects.exists()

    response = send(client, reverse("school_upload", args=[school.code]), io.BytesIO(b"a;b"))
    html = client.get(response["Location"]).content.decode()
    assert "<td>весь файл</td>" in html
    assert "файл не является книгой Excel (.xlsx) или повреждён" in html


def test_a_file_is_required(client_for, school_admin, school):
    response = client_for(school_admin).post(reverse("school_upload", args=[school.code]))
    assert response.status_code == 200
    assert "Файл не принят" in response.content.decode()


def test_a_large_file_is_checked_and_written_by_background_jobs(
    client_for, school_admin, school, good_book, monkeypatch
):
    monkeypatch.setattr(uploads, "BACKGROUND_BYTES", 0)
    client = client_for(school_admin)
    before = record_counts()

    send(client, reverse("school_upload", args=[school.code]), good_book)

    # Jobs run at once in tests: the job page of the finished check forwards to the preview.
    upload = Upload.objects.get()
    forwarded = client.get(reverse("job", args=[upload.job_id]))
    assert forwarded["Location"] == reverse("upload", args=[upload.pk])
    assert "Записать изменения" in client.get(forwarded["Location"]).content.decode()
    assert record_counts() == before

    response = client.post(reverse("upload_confirm", args=[upload.pk]), follow=True)

    assert "Книга записана: добавлено 5" in response.content.decode()
    assert record_counts()["Employment"] == before["Employment"] + 2
    assert list(Job.objects.order_by("pk").values_list("function", "status")) == [
        ("profdev.uploads.check_upload", "done"),
        ("profdev.uploads.apply_upload", "done"),
    ]


def test_a_busy_upload_sends_to_its_job_page(client_for, school_admin, school, good_book):
    upload = upload_of(school_admin, school, good_book)
    job = Job.objects.create(
        function="profdev.uploads.check_upload", title="Проверка книги", key="k", user=school_admin
    )
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.CHECKING, job=job)
    client = client_for(school_admin)

    response = client.get(reverse("upload", args=[upload.pk]))

    assert response["Location"] == reverse("job", args=[job.pk])
    assert "Ход выполнения" in client.get(response["Location"]).content.decode()


def test_unconfirmed_uploads_do_not_outlive_a_day(school_admin, school, good_book):
    old, written = (
        upload_of(school_admin, school, good_book),
        upload_of(school_admin, school, good_book),
    )
    uploads.upload_confirm(written)
    day_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=1, minutes=1)
    Upload.objects.filter(pk__in=[old.pk, written.pk]).update(created_at=day_ago)

    fresh = upload_of(school_admin, school, good_book)

    assert set(Upload.objects.values_list("pk", flat=True)) == {written.pk, fresh.pk}


def test_the_preview_page_runs_a_fixed_number_of_queries(
    client_for, school_admin, school, good_book, django_assert_num_queries
):
    upload = upload_of(school_admin, school, good_book)
    client = client_for(school_admin)
    client.get(reverse("upload", args=[upload.pk]))
    # session (read, and its save in a savepoint: 4), user, upload with its school, role
    # grants, the school in scope, the navigation's schools
    with django_assert_num_queries(9):
        client.get(reverse("upload", args=[upload.pk]))


# Download ----------------------------------------------------------------------------


def rows_of(response) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(min_row=2, values_only=True)) for sheet in book}


def test_the_school_workbook_has_only_that_schools_rows_and_is_logged(
    client_for, school_admin, school, other_school, teacher
):
    theirs = factories.EmploymentFactory(school=other_school).person
    factories.CourseFactory(person=teacher, programme="Наша программа")
    factories.CourseFactory(person=theirs, programme="Чужая программа")

    response = client_for(school_admin).get(reverse("school_workbook", args=[school.code]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "S-A_" in response["Content-Disposition"]
    rows = rows_of(response)
    assert [row[0] for row in rows["ОО"]] == ["S-A"]
    assert [(row[0], row[6]) for row in rows["Педагоги"]] == [(teacher.formatted_snils, "S-A")]
    assert [row[3] for row in rows["Курсы"]] == ["Наша программа"]  # after СНИЛС, ФИО, вид
    entry = AccessLog.objects.get(user=school_admin)
    assert (entry.action, entry.school) == (AccessLog.Action.EXPORT, school)


def test_the_district_workbook_has_every_school_of_the_district(
    client_for, methodologist, school, other_school
):
    factories.SchoolFactory(district=factories.DistrictFactory(code="ELSE"), code="S-ELSEWHERE")

    response = client_for(methodologist).get(reverse("district_workbook"))

    assert sorted(row[0] for row in rows_of(response)["ОО"]) == ["S-A", "S-B"]
    assert AccessLog.objects.filter(user=methodologist, action="export").count() == 1


def test_the_workspace_links_to_the_workbook(client_for, school_admin, school):
    html = client_for(school_admin).get(reverse("school_workspace", args=[school.code]))
    html = html.content.decode()
    assert reverse("school_workbook", args=[school.code]) in html
    assert html.count(reverse("school_upload", args=[school.code])) == 2  # page and navigation


def test_the_empty_template_has_every_sheet_and_header_and_no_rows(
    client_for, school_admin, school, teacher
):
    page = client_for(school_admin).get(reverse("school_upload", args=[school.code]))
    assert reverse("workbook_template") in page.content.decode()

    response = client_for(school_admin).get(reverse("workbook_template"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="template_')
    book = load_workbook(io.BytesIO(response.content))
    assert [sheet.title for sheet in book] == ["Инструкция", *(sheet.name for sheet in SHEETS)]
    assert "Ключи листов:" in [row[0] for row in book["Инструкция"].iter_rows(values_only=True)]
    for sheet in SHEETS:
        header, *rows = book[sheet.name].iter_rows(values_only=True)
        deletes = ["Удалить"] if "delete" in sheet.admin_actions else []
        assert list(header) == [*sheet.headers, *deletes]
        assert rows == []
        assert book[sheet.name].freeze_panes == "A2"  # the header stays in view
