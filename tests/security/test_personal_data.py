"""Personal data: the full СНИЛС appears on the teacher's card only, never on any other page
or export a methodologist or a school administrator reaches by following links."""

import re

import pytest
from django.urls import resolve

from profdev.models import Person
from profdev.text import format_snils
from tests.security.crawl import crawl

FORMATTED_SNILS = re.compile(r"\d{3}-\d{3}-\d{3}[\s\u00a0]\d{2}")


# The pages that need the full СНИЛС: the teacher's card and its edit form, and the
# exchange workbook (the СНИЛС is the key its next upload matches people by).
CARD_PAGES = {"person_card", "person_edit"}
KEYED_EXPORTS = {"school_workbook", "district_workbook"}


def view_name(url: str) -> str:
    return resolve(url.split("?")[0]).url_name


def is_card(url: str) -> bool:
    return view_name(url) in CARD_PAGES


@pytest.mark.parametrize("role", ["methodologist", "school_admin"])
def test_full_snils_appears_only_on_the_teachers_card(client, world, role):
    client.force_login(world.users[role])
    snils = list(Person.objects.values_list("snils", flat=True))

    pages = crawl(client, ["/"])

    assert all(p.status == 200 for p in pages), [
        (p.url, p.status) for p in pages if p.status != 200
    ]
    cards = [p for p in pages if is_card(p.url)]
    others = [p for p in pages if not is_card(p.url) and view_name(p.url) not in KEYED_EXPORTS]
    assert cards and len(others) >= 5  # the crawl reached the staff and the dashboards
    assert any(FORMATTED_SNILS.search(card.text) for card in cards)  # the card shows it
    for page in others:
        assert not FORMATTED_SNILS.search(page.text), page.url
        leaked = [s for s in snils if s in page.text or format_snils(s) in page.text]
        assert not leaked, (page.url, leaked)
