"""Measures (мероприятия, управленческие решения) a district takes after its monitoring."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator
from profdev.models import District, Person, School
from recommendations.models import FindingResponse, Letter, RecommendationRule


class Measure(models.Model):
    """A measure and who took part: `people` named (enrolled from a target group or the form),
    `participants` the number of the others, not named; the measure's participants are both
    (`participants_total`), so a named list never contradicts the count shown."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("семинар")
        WEBINAR = "webinar", _("вебинар")
        CONTEST = "contest", _("конкурс")
        COURSES = "courses", _("курсы")
        MEETING = "meeting", _("совещание")
        MENTORSHIP = "mentorship", _("наставничество")
        INTERNSHIP = "internship", _("стажировка")
        METHOD_DAY = "method_day", _("методический день")
        ROUND_TABLE = "round_table", _("круглый стол")
        MASTER_CLASS = "master_class", _("мастер-класс")
        OTHER = "other", _("другое")

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("муниципалитет"),
        db_index=False,  # `measure_natural_key` begins with it
    )
    title = models.CharField(_("название"), max_length=500)
    date = models.DateField(_("дата"))
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    responsible = models.CharField(_("ответственный"), max_length=255, blank=True)
    indicators = models.ManyToManyField(
        Indicator, related_name="measures", blank=True, verbose_name=_("показатели")
    )
    schools = models.ManyToManyField(
        School, related_name="measures", blank=True, verbose_name=_("ОО")
    )
    participants = models.PositiveIntegerField(_("участников без поимённого списка"), default=0)
    people = models.ManyToManyField(
        Person,
        through="MeasureParticipant",
        related_name="measures",
        blank=True,
        verbose_name=_("участники"),
    )
    note = models.TextField(_("примечание"), blank=True)
    letter = models.ForeignKey(
        Letter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("по письму"),
    )
    # The schools' responses to their letters that name this measure (chosen by the school
    # administrator on the response form; here because the measures are above the letters).
    responses = models.ManyToManyField(
        FindingResponse, related_name="measures", blank=True, verbose_name=_("в ответах ОО")
    )
    rule = models.ForeignKey(
        RecommendationRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("по рекомендации"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто внёс"),
    )
    created_at = models.DateTimeField(_("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=0), name="measure_participants_non_negative"
            ),
            # The demo loads measures idempotently by this key.
            models.UniqueConstraint(
                fields=["district", "title", "date"], name="measure_natural_key"
            ),
        ]
        indexes = [
            # The measures list and the report: a district's measures in a date range.
            models.Index(fields=["district", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    @property
    def participants_total(self) -> int:
        """The named people and the others counted. Reads `named` when the selector annotated
        it (lists), otherwise counts."""
        named = getattr(self, "named", None)
        return self.participants + (self.people.count() if named is None else named)


class MeasureParticipant(models.Model):
    """A person named as a participant of a measure: who added them and when."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("мероприятие"),
        db_index=False,  # `measure_participant_once` begins with it
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("работник")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто добавил"),
    )
    added_at = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("участник мероприятия")
        verbose_name_plural = _("участники мероприятия")
        constraints = [
            models.UniqueConstraint(fields=["measure", "person"], name="measure_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.measure}"


class AnalyticalReport(models.Model):
    """The analytical report (аналитическая справка) of a district's year: the conclusions and
    recommendations as the methodologist edited them, frozen with the PDF when issued."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="analytical_reports",
        verbose_name=_("муниципалитет"),
        db_index=False,  # `analytical_report_year` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год"))
    conclusions = models.TextField(_("выводы"))
    recommendations = models.TextField(_("рекомендации"))
    issued_at = models.DateTimeField(_("выпущена"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто выпустил"),
    )
    # The issued document as downloaded ever after: byte for byte the same.
    pdf = models.BinaryField(_("выпущенный PDF"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("аналитическая справка")
        verbose_name_plural = _("аналитические справки")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="analytical_report_year"),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True, pdf__isnull=True)
                | Q(issued_at__isnull=False, pdf__isnull=False),
                name="analytical_report_issued_with_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district}, {self.year}"

    @property
    def issued(self) -> bool:
        return self.issued_at is not None


class AnalyticalReportEdit(models.Model):
    """One saved version of the report's text: who, when, and whether it was the issue."""

    class Kind(models.TextChoices):
        EDITED = "edited", _("текст изменён")
        ISSUED = "issued", _("справка выпущена")

    report = models.ForeignKey(
        AnalyticalReport, on_delete=models.CASCADE, related_name="edits", verbose_name=_("справка")
    )
    kind = models.CharField(_("действие"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("кто"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    conclusions = models.TextField(_("выводы"))
    recommendations = models.TextField(_("рекомендации"))

    class Meta:
        verbose_name = _("версия аналитической справки")
        verbose_name_plural = _("версии аналитической справки")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
