"""The deficit map, the target groups and the course order as .xlsx (the dashboards'
`workbook`): the map's cells filled with the screen's colours, numbers as numbers."""

from decimal import Decimal

from deficits.selectors import DeficitMap, Groups, MapRow, OrderPage, topics_text
from monitoring.exports import SHARE_FORMAT, Cell, Sheet, workbook


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _map_row(row: MapRow, first: list) -> list:
    cells = []
    for c in row.cells:
        cells += [
            Cell(_number(c.value), SHARE_FORMAT, c.band, bold=row.school is None),
            c.cell.numerator,
            c.cell.denominator,
        ]
    return [*first, *cells]


def _headers(page: DeficitMap, first: list[str]) -> list[list[str]]:
    top = [*first]
    bottom = [""] * len(first)
    for _, label in page.components:
        top += [label.capitalize(), "", ""]
        bottom += ["доля, %", "с дефицитом", "прошли диагностику"]
    return [top, bottom]


def map_workbook(page: DeficitMap) -> bytes:
    widths = [40] + [11, 11, 12] * len(page.components)
    year = Sheet(f"Карта {page.years.label}", _headers(page, ["ОО"]), widths)
    year.rows = [_map_row(r, [Cell(r.name, bold=r.school is None)]) for r in page.rows]
    trend = Sheet("Динамика", _headers(page, ["Учебный год", "ОО"]), [12, *widths])
    trend.rows = [_map_row(t.row, [t.label, t.row.name]) for t in page.trend]
    return workbook(year, trend)


def groups_workbook(groups: Groups) -> bytes:
    sheet = Sheet(
        "Целевые группы",
        [["Компонент", "ОО", "ФИО", "Балл", "Дата диагностики"]],
        [26, 40, 40, 8, 16],
    )
    sheet.rows = [
        [
            m.label.capitalize(),
            m.school.short_name,
            m.person.full_name,
            m.score,
            Cell(m.date, "DD.MM.YYYY"),
        ]
        for m in groups.members
    ]
    return workbook(sheet)


def order_workbook(page: OrderPage) -> bytes:
    order = page.order
    lines = Sheet(
        f"План-заказ {order.label}",
        [
            [
                "Компонент",
                "Тематика курсов",
                "В целевой группе",
                "Заказано мест",
                "Организация",
                "Программа",
                "Форма",
                "Часы",
            ]
        ],
        [26, 36, 12, 12, 40, 40, 14, 8],
    )
    lines.rows = [
        [
            line.label,
            topics_text(line.topics),
            line.proposed,
            line.number,
            line.provider.name if line.provider else "",
            line.programme,
            line.get_form_display(),
            line.hours,
        ]
        for line in page.lines
    ]
    schools = Sheet(
        "По ОО",
        [["ОО", *(line.label for line in page.lines)]],
        [40, *([14] * len(page.lines))],
    )
    schools.rows = [[row.school.short_name, *row.proposed] for row in page.schools]
    return workbook(lines, schools)
