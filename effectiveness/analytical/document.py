"""The analytical report as a document of the district's office (the letters' renderer): the
figures of the year, the conclusions and recommendations as edited (generated until then)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from effectiveness.analytical.advice import recommendations_text
from effectiveness.analytical.conclusions import conclusions_text
from effectiveness.analytical.dynamics import DistrictDynamics, district_dynamics
from effectiveness.analytical.text import blocks
from effectiveness.report import Report, effectiveness_report
from profdev.models import District, Organisation
from profdev.pdf import render_pdf
from recommendations.text import initials_surname


@dataclass
class Analysis:
    report: Report
    dynamics: DistrictDynamics

    def conclusions(self) -> str:
        return conclusions_text(self.report, self.dynamics)

    def recommendations(self) -> str:
        return recommendations_text(self.report, self.dynamics)


def analysis_of(district: District, year: int) -> Analysis:
    return Analysis(effectiveness_report(district, year), district_dynamics(district, year))


def office_of(district: District) -> Organisation:
    """The office whose letterhead the report carries; its title names the district in the
    genitive («…работников Заречного муниципального округа»), so that form is required."""
    organisation = Organisation.objects.filter(district=district).first()
    if organisation is None or not organisation.name_genitive.strip():
        raise ValidationError(
            f"Не заполнены реквизиты организации «{district}» (наименование муниципалитета "
            "в родительном падеже): без них документ не формируется. Их заполняет "
            "администратор."
        )
    return organisation


def render_analytical(
    analysis: Analysis,
    *,
    organisation: Organisation,
    conclusions: str,
    recommendations: str,
    executor: str,
    date: dt.date,
    draft: bool,
) -> bytes:
    return render_pdf(
        "effectiveness/analytical_pdf.html",
        {
            "report": analysis.report,
            "dynamics": analysis.dynamics,
            "conclusions": blocks(conclusions),
            "recommendations": blocks(recommendations),
            "organisation": organisation,
            "date": date,
            "unissued": draft,
            "signer_position": organisation.head_position,
            "signer": initials_surname(organisation.head_name),
            "executor_name": executor,
        },
    )
