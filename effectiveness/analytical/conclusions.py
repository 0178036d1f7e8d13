"""The conclusions of the analytical report as generated from its figures: the starting text
the methodologist edits before the report is issued. Indicators by their names, a value off its
target by the indicator's direction (monitoring.wording), plain words («ниже целевых»), numerals
agreeing with their nouns."""

from effectiveness.analytical.dynamics import DistrictDynamics, Dynamics
from effectiveness.analytical.text import item
from effectiveness.report import Report, Verdict
from monitoring.wording import status_label, target_phrase
from profdev.templatetags.russian import plural as counted
from profdev.text import plural

SIGNED_LETTERS = "подписанному письму,подписанным письмам,подписанным письмам"
BELOW_TARGET = "показатель ниже целевого,показателя ниже целевых,показателей ниже целевых"
FOUND_DEFICITS = (
    "выявленного профессионального дефицита,выявленных профессиональных дефицитов,"
    "выявленных профессиональных дефицитов"
)


def _breach(row: Dynamics) -> str:
    indicator = row.indicator
    return (
        f"{indicator.name} — {row.value_text}: {status_label(indicator, row.status)} "
        f"(целевое значение — {target_phrase(indicator, row.target)})"
    )


def breaches_phrase(breached: int, with_target: int) -> str:
    return (
        f"Целевые значения по муниципалитету не достигнуты по "
        f"{counted(breached, 'показателю,показателям,показателям')} из {with_target}:"
    )


def trend_phrase(n: int, improved: bool, since: str) -> str:
    verb = ("улучшился", "улучшились") if improved else ("ухудшился", "ухудшились")
    return (
        f"По сравнению с {since} учебным годом {plural(n, verb[0], verb[1], verb[1])} "
        f"{counted(n, 'показатель,показателя,показателей')}:"
    )


def resolved_phrase(breached: int, resolved: int, then: str, now: str) -> str:
    return (
        f"В {then} учебном году показатели ОО были ниже целевых значений "
        f"в {counted(breached, 'случае,случаях,случаях')}; в {now} учебном году цель достигнута "
        f"в {resolved} из них."
    )


def letters_phrase(letters: int, findings: int, then: str) -> str:
    return (
        f"По {counted(letters, SIGNED_LETTERS)} с адресными рекомендациями за {then} учебный год "
        f"(в них {counted(findings, BELOW_TARGET)})"
    )


def quality_phrase(found: int, closed: int, share: str) -> str:
    return f"Из {counted(found, FOUND_DEFICITS)} после курсов или ИОМ устранено {closed} ({share})."


def _targets(dynamics: DistrictDynamics) -> list[str]:
    breached = dynamics.breached
    if not breached:
        return ["Целевые значения по муниципалитету достигнуты по всем показателям."]
    with_target = [r for r in dynamics.rows if r.status is not None and r.value is not None]
    return [breaches_phrase(len(breached), len(with_target)), *(item(_breach(r)) for r in breached)]


def _trend(dynamics: DistrictDynamics, trend: str, since: str) -> list[str]:
    rows = dynamics.trending(trend)
    if not rows:
        return []
    return [
        trend_phrase(len(rows), trend == Verdict.IMPROVED, since),
        *(item(f"{r.indicator.name} ({r.change})") for r in rows),
    ]


def conclusions_text(report: Report, dynamics: DistrictDynamics) -> str:
    then, now = report.previous_label, report.label
    lines = [
        *_targets(dynamics),
        *_trend(dynamics, Verdict.IMPROVED, then),
        *_trend(dynamics, Verdict.WORSE, then),
    ]
    resolved, breached = report.resolved_total
    if breached:
        lines.append(resolved_phrase(breached, resolved, then, now))
    if report.letters:
        findings = sum(o.cited for o in report.letters)
        verdicts = ", ".join(f"{label} — {n}" for _, label, n in report.verdict_summary())
        lines.append(f"{letters_phrase(len(report.letters), findings, then)}: {verdicts}.")
    quality = report.quality_total
    if quality.found:
        lines.append(quality_phrase(quality.found, quality.closed, quality.share_text))
    return "\n".join(lines)
