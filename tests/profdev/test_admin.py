"""The Django admin lists every kind of record for the administrator."""

import pytest
from django.contrib import admin
from django.urls import reverse

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
