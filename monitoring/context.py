"""What the district pages of monitoring and effectiveness share: the district a request is
about, the query string that keeps it on links, and the years on record with the one a
page shows."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import MonitoringYear
from monitoring.selectors import years_on_record
from profdev.facts import academic_year, academic_year_label
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


@dataclass(frozen=True)
class YearLink:
    label: str
    url: str
    active: bool


def year_links(years: Iterable[int], shown: int, url_name: str, *args, query="") -> list[YearLink]:
    """The year switcher: the same page (`url_name` with `args` after the year) of each year."""
    return [
        YearLink(academic_year_label(y), reverse(url_name, args=[y, *args]) + query, y == shown)
        for y in years
    ]


@dataclass(frozen=True)
class Years:
    """The district's computed years (latest first) and the year a page shows."""

    on_record: tuple[MonitoringYear, ...]
    year: int
    shown: MonitoringYear | None  # the year's monitoring; None when it has no stored values

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    def links(self, url_name: str, *args, query: str = "") -> list[YearLink]:
        return year_links([m.year for m in self.on_record], self.year, url_name, *args, query=query)


def shown_year(year: int | None, on_record: Sequence[int]) -> int:
    """The year a page shows: the asked one, else the latest on record (latest first), else
    the current academic year."""
    if year is not None:
        return year
    return on_record[0] if on_record else academic_year(timezone.localdate())


def years_of(district: District, year: int | None) -> Years:
    """The district's years on record and the one shown (`shown_year`); one query."""
    on_record = tuple(years_on_record(district))
    year = shown_year(year, [m.year for m in on_record])
    return Years(on_record, year, next((m for m in on_record if m.year == year), None))
