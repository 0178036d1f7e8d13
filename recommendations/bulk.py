"""The letters' background jobs (`profdev.jobs`): drafting a year's letters, signing many.

Drafting a district's letters (one a school, some hundreds) takes seconds: the methodologist
follows it on the job's page, which reports what was drafted, replaced, kept and removed.

Signing many letters with one confirmation: each letter is numbered, signed and frozen in its
own transaction (`letter_sign`), in natural order of the schools, so the numbers run
consecutively; a letter that cannot be signed is reported by name and the others are signed
all the same.
"""

import logging

from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring.models import MonitoringYear
from profdev.jobs import JobError, JobRun, job
from recommendations.drafting import letters_draft
from recommendations.listing import ALL_YEARS
from recommendations.models import Letter
from recommendations.services import letter_sign

logger = logging.getLogger(__name__)

PROGRESS = "подписано"


@job("Составление писем")
def draft_letters(run: JobRun, *, year_id: int) -> dict:
    year = MonitoringYear.objects.filter(pk=year_id).first()
    if year is None:
        raise JobError("Год мониторинга удалён: составлять письма не к чему.")
    report = letters_draft(year=year, user=run.user)
    warnings = []
    if report.kept_edited:
        names = ", ".join(letter.addressee_short for letter in report.kept_edited)
        warnings.append(f"Изменённые методистом черновики сохранены без замены: {names}.")
    if report.untouched:
        warnings.append(f"Писем на подписи или подписанных не затронуто: {len(report.untouched)}.")
    return {
        "message": (
            f"Составлено новых писем: {len(report.created)}, обновлено черновиков: "
            f"{len(report.replaced)}, удалено неактуальных черновиков: {report.removed}."
        ),
        "warnings": warnings,
        "url": f"{reverse('recommendations:list')}?year={year.pk}",
    }


@job("Подписание писем")
def sign_letters(run: JobRun, *, letter_ids: list[int]) -> dict:
    found = Letter.objects.filter(pk__in=letter_ids).select_related(
        "school", "provider", "monitoring_year"
    )
    letters = sorted(found.defer(*Letter.HEAVY), key=Letter.natural_order)
    total = len(letter_ids)
    failed = [f"Письмо {pk}: удалено" for pk in sorted(set(letter_ids) - {x.pk for x in letters})]
    signed = 0
    run.progress(0, total, PROGRESS)
    for letter in letters:
        try:
            letter_sign(letter=letter, user=run.user)
        except ValidationError as error:
            failed.append(f"{letter.addressee_short}: {' '.join(error.messages)}")
        except Exception as error:  # one letter's fault must not stop the others
            logger.exception("Signing letter %s failed", letter.pk)
            failed.append(
                f"{letter.addressee_short}: внутренняя ошибка ({type(error).__name__}), "
                "сообщите администратору портала."
            )
        else:
            signed += 1
        prefix = f"не подписано: {len(failed)}; " if failed else ""
        run.progress(signed, total, prefix + PROGRESS)
    if not signed:
        raise JobError("Ни одно письмо не подписано.", details=failed)
    return {
        "message": f"Подписано писем: {signed} из {total}.",
        "warnings": failed,
        "url": f"{reverse('recommendations:list')}?year={ALL_YEARS}&status={Letter.State.SIGNED}",
    }
