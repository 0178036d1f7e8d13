"""Shared fixtures.

Tests that commit (`django_db(transaction=True)`) also set `serialized_rollback=True`: the
database is emptied after each of them, shipped data included (the indicator catalogue, the
default recommendation rules), and serialized rollback puts that data back before the next.
"""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from profdev.models import RoleGrant
from recommendations.models import Letter
from tests import factories
from tests.freezes import freezes_aside

Role = RoleGrant.Role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def district(db):
    return factories.DistrictFactory()


@pytest.fixture
def school(district):
    return factories.SchoolFactory(district=district, code="S-A")


@pytest.fixture
def other_school(district):
    return factories.SchoolFactory(district=district, code="S-B")


def _user_with(role, **grant):
    user = factories.UserFactory()
    factories.RoleGrantFactory(user=user, role=role, **grant)
    return user


@pytest.fixture
def school_admin(school):
    return _user_with(Role.SCHOOL_ADMIN, school=school)


@pytest.fixture
def other_school_admin(other_school):
    return _user_with(Role.SCHOOL_ADMIN, school=other_school)


@pytest.fixture
def methodologist(district):
    return _user_with(Role.METHODOLOGIST, district=district)


@pytest.fixture
def head(district):
    return _user_with(Role.HEAD, district=district)


@pytest.fixture
def signer(head):
    """The head with a development certificate for qualified (КЭП) signing, issued on
    01.01.2025 for three years: valid at every date the tests sign on."""
    head.first_name, head.last_name = "Ольга", "Олейникова"
    head.save()
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)):
        call_command(
            "make_dev_certificate", user=head.username, name="Олейникова Ольга Владимировна"
        )
    return head


@pytest.fixture
def client_for(client):
    """A logged-in test client for a user: `client_for(user)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def letters_deletable_at_teardown():
    """For a committing test that signs letters: Django empties SQLite tables with DELETE,
    which the trigger freezing signed letters refuses; delete them past the trigger, then put
    it back. (PostgreSQL is emptied with TRUNCATE, which row triggers do not see.)"""
    yield
    if connection.vendor != "sqlite":
        return
    with freezes_aside():
        Letter.objects.all().delete()  # with their events; measures keep no link to them
