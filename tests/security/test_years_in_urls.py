"""A year out of range in any URL answers 404, never 500 (`profdev.converters`)."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.conftest import YEAR

BAD_YEARS = ["0", "1", "0001", "0999", "1999", "2100", "9999", "10000", "-1", "２０２４"]


def year_routes(patterns=None, prefix=""):
    """Every URL pattern with a `<year:…>` part, as its route string."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(year_routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern) and "<year:" in route:
            found.append(route)
    return found


def url(route: str, year: str, school: str) -> str:
    code = "DIAG" if "/indicators/" in route else school
    route = route.replace("<str:component>", "digital").replace("<int:provider>", "1")
    route = route.replace("<str:subject>", "maths")
    route = route.replace("<str:key>", "digital")
    return "/" + route.replace("<year:year>", year).replace("<str:code>", code)


def test_every_year_url_is_covered():
    assert len(year_routes()) == 35  # results 1, monitoring 16, effectiveness 6, deficits 12


def test_every_url_with_a_year_out_of_range_answers_404(client, world):
    client.force_login(world.users["regional_methodologist"])
    for route in year_routes():
        for year in BAD_YEARS:
            for method in (client.get, client.post):
                response = method(url(route, year, world.school.code))
                assert response.status_code == 404, (method.__name__, route, year)


def test_the_same_urls_with_a_real_year_are_found(client, world):
    client.force_login(world.users["regional_methodologist"])
    for route in year_routes():
        response = client.get(url(route, str(YEAR), world.school.code))
        assert response.status_code in (200, 302, 405), route
