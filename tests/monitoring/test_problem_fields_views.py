"""The problem fields' pages and the limits beside the targets."""

from decimal import Decimal

from django.urls import reverse

from monitoring.models import ProblemLimits, ProblemLimitsChange

TARGETS = reverse("monitoring:targets", args=[2024])
LIMITS = reverse("monitoring:problem_limits", args=[2024])


def test_methodologist_sets_the_limits_beside_the_targets(client_for, methodologist, district):
    client = client_for(methodologist)
    page = client.get(TARGETS).content.decode()
    assert "Пороги проблемных полей" in page
    assert 'value="15"' in page and 'value="10"' in page  # the defaults in force

    response = client.post(LIMITS, {"threshold": "12,5", "margin": "10"}, follow=True)

    limits = ProblemLimits.objects.get(district=district, year=2024)
    assert (limits.threshold, limits.margin) == (Decimal("12.5"), Decimal(10))
    content = response.content.decode()
    assert "Пороги проблемных полей сохранены" in content
    assert "порог доли не справившихся" in content and "15,0 → 12,5" in content
    assert ProblemLimitsChange.objects.get().user == methodologist


def test_bad_limits_get_a_russian_message_and_nothing_changes(client_for, methodologist):
    response = client_for(methodologist).post(
        LIMITS, {"threshold": "сто", "margin": ""}, follow=True
    )
    content = response.content.decode()
    assert "Укажите превышение доли муниципалитета." in content
    assert not ProblemLimits.objects.exists()
    response = client_for(methodologist).post(
        LIMITS, {"threshold": "сто", "margin": "5"}, follow=True
    )
    assert "Порог доли «сто» — не число." in response.content.decode()
    assert not ProblemLimits.objects.exists()


def test_a_school_administrator_cannot_set_the_limits(client_for, school_admin):
    assert (
        client_for(school_admin).post(LIMITS, {"threshold": "1", "margin": "1"}).status_code == 404
    )
    assert not ProblemLimits.objects.exists()
