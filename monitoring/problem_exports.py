"""«Проблемные поля» as `.xlsx` (`monitoring.exports`' style): the heat map the page shows,
shares as numbers with a problem field filled and commented, and the students' results rows
behind it (the drill-downs of every school shown)."""

from decimal import Decimal

from monitoring.exports import SHARE_FORMAT, Cell, Sheet, workbook
from monitoring.problem_pages import FailureCell, HeatMap, percent, points
from profdev.models import StudentResult

PROBLEM = "проблемное поле"


def _share(cell: FailureCell | None) -> Cell:
    if cell is None:
        return Cell(None)
    value = cell.value
    return Cell(
        None if value is None else float(value),
        SHARE_FORMAT,
        fill="red" if cell.problem else None,
        # A comment on every cell would slow a district's sheet down tenfold: only the marked.
        comment=f"{cell.fraction}: {PROBLEM}" if cell.problem else "",
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def heat_map_workbook(page: HeatMap) -> bytes:
    year = page.year
    limits = (
        f"Порог T = {percent(page.limits.threshold)}; "
        f"превышение доли муниципалитета M = {points(page.limits.margin)}"
    )
    heat = Sheet(
        f"Проблемные поля {year}-{year + 1}",  # «/» is not allowed in a sheet name
        [[limits], ["Код ОО", "ОО", *page.subject_names, "Проблемных полей"]],
        [12, 40, *(14 for _ in page.subjects), 12],
    )
    heat.rows.append(
        [
            Cell("", bold=True),
            Cell(str(page.district), bold=True),
            *(_share(c) for c in page.total),
            None,
        ]
    )
    for row in page.rows:
        heat.rows.append(
            [row.school.code, row.school.short_name, *(_share(c) for c in row.cells), row.problems]
        )
    results = Sheet(
        "Результаты обучающихся",
        [
            [
                "Код ОО",
                "ОО",
                "Предмет",
                "Процедура",
                "Параллель",
                "Участников",
                "Не справились",
                "Доля не справившихся",
                "Средний балл",
            ]
        ],
        [12, 40, 18, 11, 10, 11, 13, 14, 12],
    )
    for record in (
        StudentResult.objects.filter(school__in=[r.school for r in page.rows], year=year)
        .select_related("school")
        .order_by("school__code", "subject", "procedure", "grade")
    ):
        cell = FailureCell(record.failed, record.participants)
        results.rows.append(
            [
                record.school.code,
                record.school.short_name,
                record.get_subject_display(),
                record.get_procedure_display(),
                record.grade,
                record.participants,
                record.failed,
                Cell(_number(cell.value), SHARE_FORMAT),
                _number(record.average_score),
            ]
        )
    return workbook(heat, results)
