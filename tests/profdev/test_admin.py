"""The Django admin lists every kind of record for the administrator; persons and their
records are read-only there, with a masked СНИЛС and each opening logged."""

import pytest
from django.contrib import admin
from django.urls import reverse

from profdev import history
from profdev.models import AccessLog, ChangeRecord, CourseCompletion, Person, Upload
from profdev.roles import grant_role
from tests import factories


@pytest.fixture
def administrator(db):
    return grant_role(username="it", role="admin").user


def test_every_model_of_the_portal_has_an_admin_page(administrator, client):
    factories.EmploymentFactory()
    client.force_login(administrator)
    apps = {"profdev", "monitoring", "recommendations", "effectiveness"}
    models = [m for m in admin.site._registry if m._meta.app_label in apps]
    assert len(models) >= 20
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_journals_are_read_only(administrator, client):
    client.force_login(administrator)
    for name in ("changerecord", "accesslog", "job", "upload"):
        assert client.get(reverse(f"admin:profdev_{name}_add")).status_code == 403


def test_a_history_entrys_page_shows_its_changes(administrator, client):
    person = factories.PersonFactory()
    change = history.Change(
        person.pk, "пройденная программа", "ПК", "create", {"programme": [None, "Цифровая школа"]}
    )
    history.record_changes([change], source=ChangeRecord.Source.FORM)
    client.force_login(administrator)
    entry = ChangeRecord.objects.get()
    response = client.get(reverse("admin:profdev_changerecord_change", args=[entry.pk]))
    assert response.status_code == 200
    assert "Цифровая школа" in response.content.decode()


def test_an_uploads_page_shows_neither_its_file_nor_its_fingerprint(administrator, client):
    upload = Upload.objects.create(
        user=administrator,
        filename="книга.xlsx",
        file="uploads/0123abcd.xlsx",
        size=1,
        status=Upload.Status.CHECKED,
        state_token="f1ngerpr1nt",
    )
    client.force_login(administrator)
    response = client.get(reverse("admin:profdev_upload_change", args=[upload.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "книга.xlsx" in page
    assert "0123abcd" not in page and "f1ngerpr1nt" not in page


PERSONAL_DATA = [
    "person",
    "employment",
    "coursecompletion",
    "attestation",
    "contestparticipation",
    "mentorshippair",
    "deficitdiagnostic",
    "developmentroute",
    "professionalactivity",
    "burnoutrecord",
]


def test_persons_and_their_records_cannot_be_added_in_the_admin(administrator, client):
    client.force_login(administrator)
    for name in PERSONAL_DATA:
        assert client.get(reverse(f"admin:profdev_{name}_add")).status_code == 403, name


def test_a_person_is_neither_changed_nor_deleted_in_the_admin(administrator, client):
    """Changes go through the portal, which keeps their history and the person's version."""
    person = factories.EmploymentFactory().person
    course = factories.CourseFactory(person=person)
    client.force_login(administrator)

    change = reverse("admin:profdev_person_change", args=[person.pk])
    response = client.post(change, {"last_name": "Подменная", "birth_date": "01.01.1990"})
    assert response.status_code == 403
    for url in (
        reverse("admin:profdev_person_delete", args=[person.pk]),
        reverse("admin:profdev_coursecompletion_delete", args=[course.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    client.post(
        reverse("admin:profdev_coursecompletion_changelist"),
        {"action": "delete_selected", "_selected_action": [course.pk], "post": "yes"},
    )
    stored = Person.objects.get(pk=person.pk)
    assert (stored.last_name, stored.version) == (person.last_name, person.version)
    assert CourseCompletion.objects.filter(pk=course.pk).exists()


def test_the_admin_shows_a_masked_snils_and_logs_the_view(administrator, client):
    person = factories.PersonFactory()
    client.force_login(administrator)

    page = client.get(reverse("admin:profdev_person_change", args=[person.pk])).content.decode()
    listing = client.get(reverse("admin:profdev_person_changelist")).content.decode()

    for text in (page, listing):
        assert person.masked_snils in text
        assert person.snils not in text
        assert person.formatted_snils not in text
    entry = AccessLog.objects.get()
    assert (entry.user, entry.person, entry.action) == (administrator, person, "view")
    assert entry.subject == "администрирование: работник"


def test_opening_a_record_logs_each_person_it_names(administrator, client):
    pair = factories.MentorshipFactory()
    client.force_login(administrator)

    client.get(reverse("admin:profdev_mentorshippair_change", args=[pair.pk]))

    assert set(AccessLog.objects.values_list("person", flat=True)) == {
        pair.mentor_id,
        pair.mentee_id,
    }


def test_the_logs_of_personal_data_cannot_be_deleted_in_the_admin(administrator, client):
    person = factories.PersonFactory()
    entry = AccessLog.objects.create(user=administrator, action="view", person=person)
    client.force_login(administrator)

    url = reverse("admin:profdev_accesslog_delete", args=[entry.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_users_are_managed_without_django_groups_and_permissions(administrator, client):
    """The portal's roles are RoleGrants: the user's page offers no groups or permissions."""
    client.force_login(administrator)

    page = client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content
    text = page.decode()

    assert 'name="groups"' not in text
    assert 'name="user_permissions"' not in text
    assert 'name="is_superuser"' in text
    assert "../password/" in text
    assert client.get("/admin/auth/group/").status_code == 404


def test_the_administrator_sets_a_users_password_without_a_passwordless_switch(
    administrator, client
):
    user = factories.UserFactory()
    user.set_password("Старый-пароль-2025")
    user.save()
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[user.pk])

    assert 'name="usable_password"' not in client.get(url).content.decode()
    refused = client.post(url, {"password1": "", "password2": ""})
    changed = client.post(url, {"password1": "Новый-пароль-2026", "password2": "Новый-пароль-2026"})

    assert refused.status_code == 200  # the form again, with «Обязательное поле»
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Новый-пароль-2026")
