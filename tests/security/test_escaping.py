"""HTML and script typed into any text field is shown as text: every free-text field of every
record holds a script tag, and no page a user reaches by links renders it as markup."""

import html

import pytest
from django.apps import apps
from django.db import models

from monitoring.models import MonitoringYear
from tests.security.crawl import crawl

# Fields that are keys or codes, not free text (they are parsed, matched or routed by).
NOT_FREE_TEXT = {"snils", "code", "name_key", "topics", "components", "subjects"}
# What must be on the pages: names of schools, districts, people, positions, programmes,
# providers and the monitoring basis.
SHOWN = {
    "District.name",
    "School.short_name",
    "Person.last_name",
    "Person.first_name",
    "Person.middle_name",
    "Employment.position",
    "CourseCompletion.programme",
    "Provider.name",
    "ContestParticipation.name",
    "ProfessionalActivity.description",
    "MonitoringYear.basis_body",
}


def payload(label: str) -> str:
    return f'<script>x("{label}")</script>'


def free_text_fields():
    for model in [*apps.get_app_config("profdev").get_models(), MonitoringYear]:
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.EmailField)
                and not field.choices
                and field.name not in NOT_FREE_TEXT
                and field.editable
                and (field.max_length or 1000) >= len(payload(f"{model.__name__}.{field.name}"))
            ):
                yield model, field


@pytest.fixture
def hostile(world):
    MonitoringYear.objects.update(basis_body="")
    planted = []
    for model, field in free_text_fields():
        label = f"{model.__name__}.{field.name}"
        if model.objects.update(**{field.name: payload(label)}):
            planted.append(label)
    return planted


@pytest.mark.parametrize("role", ["methodologist", "school_admin", "regional_methodologist"])
def test_script_in_any_text_field_is_rendered_as_text(client, world, hostile, role):
    client.force_login(world.users[role])
    pages = [p for p in crawl(client, ["/"]) if p.content_type.startswith("text/html")]

    assert not [(p.url, p.status) for p in pages if p.status != 200]
    assert not [p.url for p in pages if "<script>x(" in p.text]
    shown = {label for label in hostile for p in pages if html.escape(payload(label)) in p.text}
    assert shown >= SHOWN
