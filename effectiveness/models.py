"""Measures (мероприятия, управленческие решения) a district takes after its monitoring."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator
from profdev.models import District, School
from recommendations.models import Letter, RecommendationRule


class Measure(models.Model):
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
        District, on_delete=models.CASCADE, related_name="measures", verbose_name=_("муниципалитет")
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
    participants = models.PositiveIntegerField(_("число участников"), default=0)
    note = models.TextField(_("примечание"), blank=True)
    letter = models.ForeignKey(
        Letter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("по письму"),
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
