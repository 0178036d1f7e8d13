import pytest
from django.http import Http404
from django.test import RequestFactory

from monitoring.context import district_for, district_query
from profdev.models import RoleGrant
from tests import factories


def _request(user, query=""):
    request = RequestFactory().get(f"/monitoring/{query}")
    request.user = user
    return request


@pytest.mark.django_db
def test_the_regional_methodologist_picks_a_district_and_links_keep_it(district):
    other = factories.DistrictFactory(code="OT", name="Другой район")
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role=RoleGrant.Role.REGIONAL_METHODOLOGIST)
    picked = _request(regional, "?district=OT")
    assert district_for(picked) == other
    assert district_query(picked, other) == "?district=OT"
    with pytest.raises(Http404):
        district_for(_request(regional, "?district=NOPE"))


@pytest.mark.django_db
def test_district_staff_get_their_district_only(methodologist, school_admin, district):
    factories.DistrictFactory(code="OT", name="Другой район")
    assert district_for(_request(methodologist)) == district
    assert district_query(_request(methodologist), district) == ""
    with pytest.raises(Http404):
        district_for(_request(methodologist, "?district=OT"))
    with pytest.raises(Http404):
        district_for(_request(school_admin))
