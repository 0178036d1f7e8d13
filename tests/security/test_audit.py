"""Every export is logged: who, when, what; a refused export leaves no entry."""

import datetime as dt

import pytest
from django.urls import reverse

from profdev.models import AccessLog
from tests.security.conftest import YEAR

EXPORTS = [
    ("monitoring:overview_export", lambda w: [YEAR], "мониторинг 2024/2025: ", False),
    ("monitoring:school_export", lambda w: [YEAR, w.school.code], "мониторинг 2024/2025: ОО", True),
    ("monitoring:providers_export", lambda w: [YEAR], "отчёт об организациях ДПО 2024/2025", False),
]


@pytest.mark.parametrize(("url_name", "args", "what", "per_school"), EXPORTS)
def test_each_export_is_logged_with_who_when_and_what(
    client, world, caplog, time_machine, url_name, args, what, per_school
):
    moment = dt.datetime(2025, 6, 2, 10, 30, tzinfo=dt.UTC)
    time_machine.move_to(moment, tick=False)
    user = world.users["methodologist"]
    client.force_login(user)

    with caplog.at_level("INFO", logger="profdev.audit"):
        response = client.get(reverse(url_name, args=args(world)))

    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.at) == (user, AccessLog.Action.EXPORT, moment)
    assert entry.school == (world.school if per_school else None)
    assert entry.subject.startswith(what)
    (record,) = [r for r in caplog.records if r.name == "profdev.audit"]
    assert f"Выгрузка: {what}" in record.getMessage()
    assert f"кто: {user.username}" in record.getMessage()


def test_a_refused_export_is_not_logged(client, world):
    client.force_login(world.users["other_school_admin"])
    response = client.get(reverse("monitoring:school_export", args=[YEAR, world.school.code]))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()
