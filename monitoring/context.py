"""What the district pages of monitoring and effectiveness share: the district a request is
about and the query string that keeps it on links."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from profdev.models import District
from profdev.scoping import scope_for


def district_for(request: HttpRequest) -> District:
    """The district of the user's district role; a regional methodologist picks one with
    `?district=CODE`. Anyone else, or a district out of the user's scope, gets 404."""
    scope = scope_for(request.user)
    scope.require_district_staff()
    districts = scope.districts().order_by("name")
    code = request.GET.get("district")
    if code:
        districts = districts.filter(code=code)
    district = districts.first()
    if district is None:
        raise Http404
    return district


def district_query(request: HttpRequest, district: District) -> str:
    """What a link to another district page carries: the district, when one was picked."""
    return f"?{urlencode({'district': district.code})}" if "district" in request.GET else ""
