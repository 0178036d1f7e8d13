"""The course order (план-заказ, deficits.md «Course order»): for the next academic year, per
component, how many people of its target group need a course, per school and for the
district, with the topics that address it; methodologists adjust each line before it goes to
a provider."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from monitoring.models import COMPONENT_CHOICES
from profdev.facts import academic_year_label
from profdev.models import CourseCompletion, District, Provider, School, Subject


class CourseOrder(models.Model):
    """A district's course order built from the target groups of year `year` (for the
    academic year after it)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="course_orders",
        verbose_name=_("муниципалитет"),
        db_index=False,  # `course_order_unique` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год целевых групп"))
    reference_date = models.DateField(_("целевые группы на дату"))
    built_at = models.DateTimeField(_("сформирован"), auto_now=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("кто")
    )

    class Meta:
        verbose_name = _("план-заказ")
        verbose_name_plural = _("планы-заказы")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="course_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district}: план-заказ на {self.label}"

    @property
    def label(self) -> str:
        """The academic year the courses are ordered for."""
        return academic_year_label(self.year + 1)


class CourseOrderLine(models.Model):
    """One component's line: the people proposed (its target group), the number ordered and
    the course as the methodologist settles it. A line of the «Предметный» component may name
    a subject: the line of a problem field of students' results, proposing the teachers of
    that subject in the schools where it is one (`deficits.services.order_problem_lines`)."""

    SUBJECT_COMPONENT = "subject"

    order = models.ForeignKey(
        CourseOrder,
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,  # `course_order_line_unique` begins with it
    )
    component = models.CharField(_("компонент"), max_length=20, choices=COMPONENT_CHOICES)
    subject = models.CharField(
        _("предмет"), max_length=20, choices=Subject.choices, blank=True, default=""
    )
    topics = models.CharField(_("тематика"), max_length=300, blank=True)  # ",a,b," as courses
    proposed = models.PositiveIntegerField(_("в целевой группе"))
    number = models.PositiveIntegerField(_("заказано мест"))
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("организация"),
    )
    programme = models.CharField(_("программа"), max_length=500, blank=True)
    form = models.CharField(
        _("форма"), max_length=20, choices=CourseCompletion.Form.choices, blank=True
    )
    hours = models.PositiveIntegerField(
        _("часы"), null=True, blank=True, validators=[MinValueValidator(16)]
    )

    class Meta:
        verbose_name = _("строка плана-заказа")
        verbose_name_plural = _("строки плана-заказа")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "component", "subject"], name="course_order_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(subject="") | Q(component="subject"),
                name="course_order_line_subject_component",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=16), name="course_order_line_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.number}"

    @property
    def key(self) -> str:
        """The line in URLs and form prefixes: «digital», «subject-maths»."""
        return f"{self.component}-{self.subject}" if self.subject else self.component

    @property
    def sort_key(self) -> tuple[int, int]:
        """Lines in the components' order; a component's own line before its subjects'."""
        components = [c for c, _ in COMPONENT_CHOICES]
        subject = Subject.values.index(self.subject) if self.subject else -1
        return components.index(self.component), subject

    @property
    def label(self) -> str:
        """«Предметный», «Предметный: математика»."""
        label = capfirst(str(self.get_component_display()))
        return f"{label}: {self.get_subject_display()}" if self.subject else label

    def topic_labels(self) -> list[str]:
        return [str(CourseCompletion.Topic(t).label) for t in self.topics.split(",") if t]


class CourseOrderSchool(models.Model):
    """A line's target group at one school: how many of its people it proposes."""

    line = models.ForeignKey(
        CourseOrderLine,
        on_delete=models.CASCADE,
        related_name="schools",
        db_index=False,  # `course_order_school_unique` begins with it
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("ОО"))
    proposed = models.PositiveIntegerField(_("в целевой группе"))

    class Meta:
        verbose_name = _("ОО в строке плана-заказа")
        verbose_name_plural = _("ОО в строках плана-заказа")
        constraints = [
            models.UniqueConstraint(fields=["line", "school"], name="course_order_school_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.proposed}"
