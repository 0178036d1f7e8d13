"""Hostile values in the head's letter settings: the requisites and the outgoing register's
numbering. A form never crashes: it saves values the model accepts as they are, or answers
with Russian messages and changes nothing (a number already issued: test_views.py)."""

from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from profdev.models import Organisation
from recommendations.models import OutgoingRegister
from tests.html import form_errors, page
from tests.profdev.test_first_run import REQUISITES
from tests.security.test_fuzz_forms import HOSTILE, russian
from tests.security.test_fuzz_importer import FUZZ, TRIED

NUMBERS = st.one_of(
    HOSTILE, st.integers(min_value=-(10**12), max_value=10**12).map(str), st.just("0")
)


def changed(valid: dict, hostile: st.SearchStrategy) -> st.SearchStrategy:
    """`valid` with one to three of its fields given hostile values."""
    names = st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=3, unique=True)
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries({f: hostile for f in chosen}).map(
            lambda values: {**valid, **values}
        )
    )


def errors_of(response) -> list[str]:
    """The messages the page shows for the form."""
    return [m for ms in form_errors(page(response)).values() for m in ms]


@FUZZ
@given(data=st.data())
def test_hostile_requisites_are_refused_in_russian_or_saved_valid(client_for, head, district, data):
    values = data.draw(changed(REQUISITES, HOSTILE))
    with transaction.atomic():
        response = client_for(head).post(reverse("recommendations:requisites"), values)
        TRIED["реквизиты"] += 1
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            Organisation.objects.get(district=district).full_clean()
        else:
            errors = errors_of(response)
            assert errors and all(russian(m) for m in errors), errors
            assert not Organisation.objects.exists()
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_hostile_numbering_is_refused_in_russian_or_saved_valid(client_for, head, district, data):
    OutgoingRegister.objects.get_or_create(district=district, year=2026)
    values = {
        "number_format": data.draw(st.one_of(HOSTILE, st.just("01-14/{n}"))),
        "next_number": data.draw(NUMBERS),
    }
    with transaction.atomic():
        before = list(OutgoingRegister.objects.values_list("number_format", "next_number"))
        response = client_for(head).post(reverse("recommendations:register"), values)
        TRIED["нумерация"] += 1
        assert response.status_code in (200, 302)
        after = list(OutgoingRegister.objects.values_list("number_format", "next_number"))
        if response.status_code == 302:
            assert all(1 <= n <= 999_999 and f.count("{n}") == 1 for f, n in after)
        else:
            errors = errors_of(response)
            assert errors and all(russian(m) for m in errors), errors
            assert after == before
        transaction.set_rollback(True)
