"""The recommendations of the analytical report as generated: the active rules for the
district's breaches (by audience), then what the effectiveness analysis itself suggests (004
«адресные рекомендации по результатам проведённого анализа»): where last year's letters did
not help, which measures to continue and which to replace, which deficits the courses did not
close, and whose courses did not close them. The starting text the methodologist edits
before the report is issued."""

from collections import defaultdict

from effectiveness.analytical.dynamics import DistrictDynamics
from effectiveness.analytical.text import item
from effectiveness.models import Measure
from effectiveness.report import Closure, Effect, Report, Verdict
from monitoring.deficits import ProviderClosure
from profdev.templatetags.russian import plural as counted
from profdev.text import natural_key, plural
from recommendations.models import Audience, RecommendationRule

# Deficits closed after study in less than this share of retests: the programmes need a change.
CLOSURE_EXPECTED = 50
# Fewer retests than this say nothing about a provider.
PROVIDER_MIN_RETESTS = 3
RETESTED = (
    "повторно диагностированного дефицита,повторно диагностированных дефицитов,"
    "повторно диагностированных дефицитов"
)


def _by_rules(dynamics: DistrictDynamics) -> list[str]:
    statuses = {r.indicator.code: r.status for r in dynamics.breached}
    texts: dict[str, list[str]] = defaultdict(list)
    rules = RecommendationRule.objects.filter(active=True, indicator__in=statuses).order_by(
        "order", "id"
    )
    for rule in rules:
        if rule.fires_on(statuses[rule.indicator_id]) and rule.text not in texts[rule.audience]:
            texts[rule.audience].append(rule.text)
    lines = []
    for audience in Audience.values:
        if texts[audience]:
            lines += [f"{Audience(audience).label}:", *(item(t) for t in texts[audience])]
    return lines


def _letters_without_effect(report: Report) -> list[str]:
    """Per indicator the school letters cited: the schools where it did not improve; and
    whether it did not improve in the district's own letter either."""
    cited: dict[str, int] = defaultdict(int)
    stuck: dict[str, list[str]] = defaultdict(list)
    district_stuck: set[str] = set()
    for summary in report.letters:
        for code, found in summary.verdict_of.items():
            unchanged = found in (Verdict.UNCHANGED, Verdict.WORSE)
            if summary.letter.is_district:
                if unchanged:
                    district_stuck.add(code)
                continue
            cited[code] += 1
            if unchanged:
                stuck[code].append(summary.addressee)
    targeted = {i.code for m in report.measures for i in m.measure.indicators.all()}
    lines = []
    for code in sorted(stuck.keys() | district_stuck, key=lambda c: report.indicators[c].order):
        where = []
        if stuck[code]:
            schools = ", ".join(sorted(stuck[code], key=natural_key))
            where.append(f"в {len(stuck[code])} из {cited[code]} ОО, получивших письма ({schools})")
        if code in district_stuck:
            where.append("по муниципалитету в целом")
        plan = (
            "усилить мероприятия по показателю"
            if code in targeted
            else "мероприятий по показателю не проводилось — включить его в план "
            "методической службы"
        )
        lines.append(
            item(
                f"«{report.indicators[code].name}»: улучшения нет {' и '.join(where)} — повторить "
                f"рекомендации с контролем исполнения; {plan}."
            )
        )
    return lines


def _effects(effects: list[Effect]) -> str:
    """«по показателю «…» (+7,5 п.п.)», «по показателям «…» (−8,0 п.п.), «…» (…)»."""
    names = ", ".join(f"«{e.indicator.name}» ({e.did_text})" for e in effects)
    return f"по {plural(len(effects), 'показателю', 'показателям', 'показателям')} {names}"


def measure_advice(measure: Measure, effects: list[Effect]) -> str:
    head = f"«{measure.title}» ({measure.get_kind_display()}, {measure.date:%d.%m.%Y})"
    ahead = [e for e in effects if e.did_class == "delta-better"]
    behind = [e for e in effects if e.did_class != "delta-better"]
    if not behind:
        return (
            f"{head}: целевые ОО опередили остальные {_effects(ahead)} — продолжить "
            "мероприятие и распространить опыт на другие ОО."
        )
    if ahead:
        return (
            f"{head}: целевые ОО опередили остальные {_effects(ahead)}, но не "
            f"{_effects(behind)} — продолжить мероприятие, пересмотрев его содержание по "
            "отстающим показателям."
        )
    who = f" ({measure.responsible})" if measure.responsible else ""
    change = (
        f"сменить организацию, проводящую курсы{who}"
        if measure.kind == Measure.Kind.COURSES
        else f"заменить форму работы или сменить исполнителя{who}"
    )
    return f"{head}: целевые ОО не опередили остальные {_effects(behind)} — {change}."


def _measures(report: Report) -> list[str]:
    """Each measure by the indicators with a target it moved (or did not)."""
    lines = []
    for m in report.measures:
        effects = [e for e in m.effects if e.did is not None and not e.indicator.informational]
        if effects:
            lines.append(item(measure_advice(m.measure, effects)))
    return lines


def _closure_advice(closure: Closure) -> str:
    return (
        f"Компонент «{closure.label}»: после курсов или ИОМ устранено {closure.closed} из "
        f"{counted(closure.retested, RETESTED)} "
        f"({closure.retested_share_text}) — обновить программы ДПО по этому компоненту и "
        "направлять педагогов к организациям, чьи курсы устраняют дефицит."
    )


def _quality(report: Report) -> list[str]:
    return [
        item(_closure_advice(c))
        for c in report.quality
        if c.retested and c.retested_share < CLOSURE_EXPECTED
    ]


def _providers(providers: list[ProviderClosure]) -> list[str]:
    return [
        item(
            f"{p.provider}: после курсов этой организации устранено {p.closed} из "
            f"{counted(p.retested, RETESTED)} ({p.share_text}) — направлять педагогов к "
            "организациям, чьи курсы устраняют дефициты, или согласовать с ней обновление "
            "программ."
        )
        for p in providers
        if p.retested >= PROVIDER_MIN_RETESTS and p.share < CLOSURE_EXPECTED
    ]


def recommendations_text(report: Report, dynamics: DistrictDynamics) -> str:
    analysis = [
        *_letters_without_effect(report),
        *_measures(report),
        *_quality(report),
        *_providers(report.providers.providers),
    ]
    lines = [
        *_by_rules(dynamics),
        "По итогам анализа эффективности принятых мер:",
        *(
            analysis
            or [item("мер, не давших результата, не выявлено: продолжить работу по плану.")]
        ),
    ]
    return "\n".join(lines)
