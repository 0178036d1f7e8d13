"""Shared fixtures.

Tests that commit (`django_db(transaction=True)`) also set `serialized_rollback=True`: the
database is emptied after each of them, shipped data included (the indicator catalogue, the
default recommendation rules), and serialized rollback puts that data back before the next.
"""

import pytest

from profdev.models import RoleGrant
from tests import factories

Role = RoleGrant.Role


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
def client_for(client):
    """A logged-in test client for a user: `client_for(user)`."""

    def login(user):
        client.force_login(user)
        return client

    return login
