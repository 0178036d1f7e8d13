"""The job page and its status endpoint: the owner and the district's staff; others 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from profdev.models import Job
from tests import factories
from tests.profdev.sample_jobs import refuse, rename_districts


@pytest.fixture
def job(school_admin, district):
    return rename_districts.enqueue(user=school_admin, district=district, steps=3)


def test_the_owner_sees_the_result_and_a_link_to_it(client_for, school_admin, job):
    response = client_for(school_admin).get(reverse("job", args=[job.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Пересчёт муниципалитетов" in page
    assert "готово" in page and "Выполнено шагов: 3." in page
    assert 'href="/"' in page
    assert "Запустить снова" not in page


def test_a_running_job_shows_progress_and_its_status_endpoint(client_for, school_admin, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1, message="Шаг 2")
    client = client_for(school_admin)

    page = client.get(reverse("job", args=[job.pk])).content.decode()
    state = client.get(reverse("job_status", args=[job.pk])).json()

    assert 'data-job-status-url="/jobs/' in page and "js/jobs.js" in page
    assert '<progress class="w-100" max="3" value="1"' in page
    assert state == {
        "status": "running",
        "status_label": "выполняется",
        "finished": False,
        "done": 1,
        "total": 3,
        "percent": 33,
        "message": "Шаг 2",
        "notice": "",
    }


def test_the_districts_staff_see_it_too(client_for, methodologist, head, job):
    for user in (methodologist, head):
        assert client_for(user).get(reverse("job", args=[job.pk])).status_code == 200


def test_outsiders_get_404(client, client_for, other_school_admin, job):
    other_district = factories.DistrictFactory(code="OT", name="Другой район")
    stranger = factories.UserFactory()
    factories.RoleGrantFactory(user=stranger, role="methodologist", district=other_district)
    for user in (other_school_admin, stranger, factories.UserFactory()):
        logged_in = client_for(user)
        assert logged_in.get(reverse("job", args=[job.pk])).status_code == 404
        assert logged_in.get(reverse("job_status", args=[job.pk])).status_code == 404
        assert logged_in.post(reverse("job_retry", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("job", args=[job.pk])).status_code == 302


def test_a_region_wide_job_is_for_its_owner_and_regional_staff(client_for, methodologist):
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role="regional_methodologist")
    owner = factories.UserFactory()
    region_job = rename_districts.enqueue(user=owner, steps=1)

    assert client_for(owner).get(reverse("job", args=[region_job.pk])).status_code == 200
    assert client_for(regional).get(reverse("job", args=[region_job.pk])).status_code == 200
    assert client_for(methodologist).get(reverse("job", args=[region_job.pk])).status_code == 404


def test_a_failed_job_shows_its_error_and_can_be_run_again(client_for, methodologist, district):
    failed = refuse.enqueue(user=methodologist, district=district, kind="job")
    client = client_for(methodologist)

    page = client.get(reverse("job", args=[failed.pk])).content.decode()
    response = client.post(reverse("job_retry", args=[failed.pk]))

    assert "В файле 2 ошибки: ничего не записано." in page and "строка 5" in page
    assert "Запустить снова" in page
    retried = Job.objects.latest("pk")
    assert retried.pk != failed.pk
    assert response["Location"] == reverse("job", args=[retried.pk])


def test_a_done_job_is_not_run_again(client_for, school_admin, job):
    response = client_for(school_admin).post(reverse("job_retry", args=[job.pk]), follow=True)

    assert "уже завершена успешно" in response.content.decode()
    assert Job.objects.count() == 1


def queued(job, minutes_ago: float) -> None:
    created_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, created_at=created_at)


def test_a_job_no_worker_has_taken_says_so_instead_of_waiting_forever(
    client_for, school_admin, job, settings
):
    settings.JOB_PICKUP_SECONDS = 60
    client = client_for(school_admin)
    queued(job, minutes_ago=0.5)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "в очереди" in page and "data-job-notice hidden" in page
    assert "обработчик" not in page
    assert client.get(reverse("job_status", args=[job.pk])).json()["notice"] == ""

    queued(job, minutes_ago=5)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    notice = client.get(reverse("job_status", args=[job.pk])).json()["notice"]

    assert notice.startswith("Задача ждёт в очереди уже 5 мин, и ни один обработчик")
    assert "Сообщите администратору портала" in notice
    assert "data-job-notice>" in page and notice in page


def test_a_job_waiting_behind_a_running_one_says_the_worker_is_busy(
    client_for, school_admin, methodologist, job, district
):
    queued(job, minutes_ago=3)
    busy = rename_districts.enqueue(user=methodologist, district=district, steps=9)
    Job.objects.filter(pk=busy.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())

    notice = client_for(school_admin).get(reverse("job_status", args=[job.pk])).json()["notice"]

    assert notice == (
        "Задача ждёт в очереди уже 3 мин: обработчик фоновых задач занят другими задачами. "
        "Она начнётся, как только он освободится."
    )
