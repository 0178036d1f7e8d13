"""Closure of deficits by provider (004 «анализ качества освоения программ ДПО») for the
effectiveness report and the analytical report: deficits.md's rule
(`monitoring.deficits.closure`) over academic year `Y` alone, with the district's mapping of
components to topics, the no-course baseline beside the providers."""

from monitoring.deficits import Closure, ProviderClosure, closure, component_topics, period_of
from profdev.models import District

__all__ = ["ProviderClosure", "closure_by_provider", "provider_closures"]


def closure_by_provider(district: District, year: int) -> Closure:
    """Retests of academic year `year` up to its reference date (the stored one, else
    31 August) of the district's teachers; four queries."""
    return closure(district, period_of(district, year), component_topics(district))


def provider_closures(district: District, year: int) -> list[ProviderClosure]:
    return closure_by_provider(district, year).providers
