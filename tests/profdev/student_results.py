"""The stored students' results as comparable rows, for the workbook's and the results screen's
tests."""

from profdev.models import StudentResult

FIELDS = (
    *("school__code", "year", "procedure", "subject"),
    *("grade", "participants", "failed", "average_score"),
)


def stored_results() -> list[tuple]:
    return list(StudentResult.objects.order_by("pk").values_list(*FIELDS))
