"""The effectiveness report as a formatted `.xlsx` (monitoring.exports.workbook): one sheet
per section, verdicts coloured as on screen, numbers as numbers."""

from decimal import Decimal

from effectiveness.report import Effect, Report, rounded
from monitoring.exports import COUNT_FORMAT, SHARE_FORMAT, Cell, Sheet, number_format, workbook
from monitoring.models import Indicator

DELTA_FORMAT = '+0.0" п.п.";−0.0" п.п.";0.0" п.п."'


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _delta_format(indicator: Indicator) -> str:
    return COUNT_FORMAT if indicator.kind == Indicator.Kind.COUNT else DELTA_FORMAT


def _letters(report: Report) -> Sheet:
    sheet = Sheet(
        f"Письма {report.year - 1}-{report.year}",  # «/» is not allowed in a sheet name
        [
            [
                "Адресат",
                "Письмо",
                "Ознакомлен",
                "Показатель",
                "Статус тогда",
                f"Тогда ({report.previous_label})",
                f"Сейчас ({report.label})",
                "Изменение",
                "Оценка",
                "Ответ ОО",
            ]
        ],
        [34, 22, 12, 50, 12, 14, 14, 12, 16, 60],
    )
    for outcome in report.outcomes():
        letter = outcome.letter
        for finding in outcome.findings:
            indicator = finding.indicator
            sheet.rows.append(
                [
                    outcome.addressee,
                    f"№ {letter.number} от {letter.date:%d.%m.%Y}",
                    "да" if outcome.confirmed else "нет",
                    indicator.name,
                    Cell(
                        "красный" if finding.status_then == "red" else "жёлтый",
                        fill=finding.status_then,
                    ),
                    Cell(_number(finding.then), number_format(indicator)),
                    Cell(_number(finding.now_value), number_format(indicator)),
                    Cell(_number(finding.delta), _delta_format(indicator)),
                    Cell(finding.verdict_label, fill=finding.verdict_fill),
                    finding.response_text if letter.is_to_school else "",
                ]
            )
    return sheet


def _effect_cells(effect: Effect) -> list:
    kind = effect.indicator
    values = []
    for pooled in (effect.targeted, effect.others):
        values += [
            pooled.schools,
            Cell(_number(rounded(pooled.before)), number_format(kind)),
            Cell(_number(rounded(pooled.after)), number_format(kind)),
            Cell(_number(rounded(pooled.change)), _delta_format(kind)),
        ]
    return [*values, Cell(_number(rounded(effect.did)), _delta_format(kind), bold=True)]


def _measures(report: Report) -> Sheet:
    groups = ("Целевые ОО", "Остальные ОО")
    sheet = Sheet(
        "Мероприятия",
        [
            [
                "Мероприятие",
                "Дата",
                "Вид",
                "Показатель",
                *(f"{g}: {h}" for g in groups for h in ("число ОО", "до", "после", "изменение")),
                "Разница с остальными ОО",
            ]
        ],
        [44, 11, 16, 40, *(12 for _ in range(8)), 14],
    )
    for item in report.measures:
        measure = item.measure
        head = [measure.title, f"{measure.date:%d.%m.%Y}", measure.get_kind_display()]
        if not item.effects:
            sheet.rows.append([*head, "показатели не указаны"])
        for effect in item.effects:
            sheet.rows.append([*head, effect.indicator.name, *_effect_cells(effect)])
    return sheet


def _summary(report: Report) -> Sheet:
    sheet = Sheet(
        "Сводка",
        [
            [
                "Показатель",
                f"ОО ниже цели в {report.previous_label}",
                f"Достигли цели в {report.label}",
                "Всё ещё ниже",
                "Нет данных",
            ]
        ],
        [60, 16, 14, 14, 12],
    )
    for r in report.resolutions:
        sheet.rows.append([r.indicator.name, r.breached, r.resolved, r.still, r.unknown])
    resolved, breached = report.resolved_total
    still = sum(r.still for r in report.resolutions)
    sheet.rows.append(
        [Cell("Итого", bold=True), breached, resolved, still, breached - resolved - still]
    )
    return sheet


def _quality(report: Report) -> Sheet:
    sheet = Sheet(
        "Качество ДПО",
        [
            [
                "Компонент",
                "Выявлено дефицитов",
                "Повторная диагностика после ПК/ИОМ",
                "Дефицит устранён",
                "Доля устранённых",
                "Доля устранённых среди прошедших повторную диагностику",
            ]
        ],
        [30, 14, 18, 14, 14, 22],
    )
    for closure in [*report.quality, report.quality_total]:
        sheet.rows.append(
            [
                Cell(closure.label, bold=not closure.component),
                closure.found,
                closure.retested,
                closure.closed,
                Cell(_number(closure.share), SHARE_FORMAT),
                Cell(_number(closure.retested_share), SHARE_FORMAT),
            ]
        )
    return sheet


def report_workbook(report: Report) -> bytes:
    return workbook(_letters(report), _measures(report), _summary(report), _quality(report))
