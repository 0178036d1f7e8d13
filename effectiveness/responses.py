"""The measures a school names in its response to a letter (`recommendations.responses`):
registered in `EffectivenessConfig.ready()`, since the letters do not import the measures."""

from collections.abc import Collection

from django.db.models import Q

from effectiveness.models import Measure
from recommendations.models import FindingResponse, Letter


class MeasureLink:
    """A response names the district's measures held since the letter for the school (or for
    every school)."""

    label = "Мероприятия"

    def choices(self, letter: Letter) -> list[tuple[int, str]]:
        measures = Measure.objects.filter(
            Q(schools=letter.school_id) | Q(schools__isnull=True),
            district_id=letter.monitoring_year.district_id,
            date__gte=letter.date,
        ).order_by("date", "title")
        return [(m.pk, str(m)) for m in measures.distinct()]

    def chosen(self, responses: Collection[FindingResponse]) -> dict[int, list[tuple[int, str]]]:
        links = (
            Measure.responses.through.objects.filter(findingresponse__in=list(responses))
            .select_related("measure")
            .order_by("measure__date", "measure__title")
        )
        chosen: dict[int, list[tuple[int, str]]] = {}
        for link in links:
            chosen.setdefault(link.findingresponse_id, []).append(
                (link.measure_id, str(link.measure))
            )
        return chosen

    def link(self, response: FindingResponse, ids: list[int]) -> None:
        response.measures.set(ids)


MEASURES = MeasureLink()
