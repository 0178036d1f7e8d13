"""The named people behind a school's numbers, for the indicators where a person can act.

Only these indicators name people in a letter; results that are sensitive in themselves
(deficits, burnout levels) never do. The people come from monitoring's selectors.
"""

from monitoring.models import MonitoringYear
from monitoring.selectors import missing_by_indicator
from profdev.models import School

# Indicator code → how the letter introduces the people missing from its numerator.
PEOPLE_PHRASES: dict[str, str] = {
    "DIAG": "Не прошли диагностику профессиональных дефицитов",
    "DIAG_MGR": "Руководящие работники, не прошедшие диагностику профессиональных дефицитов",
    "IOM": "Рекомендуется разработать индивидуальный образовательный маршрут",
    "PD_3Y": "Не проходили повышение квалификации в течение трёх лет",
    "PD_T_ASSESS": "Не проходили ПК по вопросам оценки качества образования за три года",
    "PD_T_TALENT": "Не проходили ПК по вопросам выявления и развития способностей и талантов",
    "PD_T_CAREER": "Не проходили ПК по вопросам профессиональной ориентации обучающихся",
    "PD_T_UPBRING": "Не проходили ПК по вопросам организации воспитания обучающихся",
    "PD_T_PRESCHOOL": "Не проходили ПК по вопросам качества дошкольного образования",
    "PD_T_FEDERAL": "Не проходили ПК в рамках приоритетных федеральных программ",
    "PD_LOWRES": "Не прошли повышение квалификации в текущем учебном году",
    "RETRAIN_NONPED": "Не прошли переподготовку педагогической направленности",
    "ATTEST": "Не имеют действующей квалификационной категории",
    "MENTOR_YOUNG": "Молодые педагоги, за которыми не закреплён наставник",
    "BURNOUT_DIAG": "Не прошли диагностику профессионального выгорания",
}


def short_name(person) -> str:
    """«Иванова Анна Сергеевна» → «Иванова А. С.»: enough to act on, no more."""
    initials = " ".join(f"{p[0]}." for p in (person.first_name, person.middle_name) if p)
    return f"{person.last_name} {initials}".strip()


def people_missing(year: MonitoringYear, school: School, codes: list[str]) -> dict[str, list[str]]:
    """For each listed indicator code, the people of the school missing from its numerator
    at the year's stored reference date (one query per indicator)."""
    listed = [code for code in codes if code in PEOPLE_PHRASES]
    return {
        code: [short_name(p) for p in people]
        for code, people in missing_by_indicator(year, school, listed).items()
    }
