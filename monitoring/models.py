"""The indicator catalogue, targets, monitoring years and their stored official values."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from profdev.facts import academic_year_label
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    DeficitDiagnostic,
    District,
    Person,
    School,
    Subject,
)


def one_row_per_school_and_district(field: str, name: str) -> list[models.UniqueConstraint]:
    """The constraints of a year's stored values: one row per school and `field`, and one
    district row (school null) per `field`; named `<name>_unique`, `<name>_district_unique`."""
    return [
        models.UniqueConstraint(
            fields=["monitoring_year", "school", field],
            condition=Q(school__isnull=False),
            name=f"{name}_unique",
        ),
        models.UniqueConstraint(
            fields=["monitoring_year", field],
            condition=Q(school__isnull=True),
            name=f"{name}_district_unique",
        ),
    ]


class Status(models.TextChoices):
    GREEN = "green", _("в норме")
    YELLOW = "yellow", _("близко к целевому")
    RED = "red", _("ниже целевого")
    NO_DATA = "no_data", _("нет данных")
    NOT_APPLICABLE = "n/a", _("не применимо")


BREACH_STATUSES = (Status.RED, Status.YELLOW)


class Indicator(models.Model):
    """One row of the catalogue (indicators.md); shipped as data, formulas live in code."""

    class Direction(models.TextChoices):
        UP = "up", _("чем больше, тем лучше")
        DOWN = "down", _("чем меньше, тем лучше")

    class Kind(models.TextChoices):
        SHARE = "share", _("доля, %")
        COUNT = "count", _("количество")

    code = models.CharField(_("код"), max_length=30, primary_key=True)
    name = models.CharField(_("наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=120)
    group = models.CharField(_("группа"), max_length=100)
    direction = models.CharField(_("направление"), max_length=4, choices=Direction.choices)
    kind = models.CharField(_("вид"), max_length=5, choices=Kind.choices)
    district_only = models.BooleanField(_("только для муниципалитета"), default=False)
    default_target = models.DecimalField(
        _("целевое значение по умолчанию"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("порядок"))
    # How letters present the figure. A people phrase also means that the people behind a
    # school's figure are stored and named (school page, letters): only where a school can act
    # on a person, never for sensitive results (deficits, burnout levels) nor staffing facts
    # (young, pension age, part-time), whose phrase stays blank.
    people_phrase = models.CharField(
        _("о поимённом списке"),
        max_length=200,
        blank=True,
        help_text=_(
            "Как письмо вводит работников, не учтённых в числителе; пусто — работники не называются"
        ),
    )
    district_phrase = models.CharField(
        _("вывод по муниципалитету"),
        max_length=200,
        blank=True,
        help_text=_("Для показателя только по муниципалитету: вывод письма, {n} — число ОО"),
    )

    class Meta:
        verbose_name = _("показатель")
        verbose_name_plural = _("показатели")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name  # people read names; codes stay in exports and tooltips

    @property
    def informational(self) -> bool:
        return self.default_target is None

    @property
    def names_people(self) -> bool:
        return bool(self.people_phrase)


class Target(models.Model):
    """A district's target for an indicator in a monitoring year (overrides the default)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        verbose_name=_("муниципалитет"),
        db_index=False,  # `target_unique` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("показатель"))
    value = models.DecimalField(_("целевое значение"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("целевое значение")
        verbose_name_plural = _("целевые значения")
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "indicator"], name="target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class Edit(models.Model):
    """An edit of a district's settings (targets, a component's topics, the problem fields'
    limits): who made it and when; the newest first."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("кто")
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class TargetChange(Edit):
    """History of target edits: who changed what, when."""

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("учебный год"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("показатель"))
    old_value = models.DecimalField(_("было"), max_digits=6, decimal_places=1, null=True)
    new_value = models.DecimalField(_("стало"), max_digits=6, decimal_places=1)

    class Meta(Edit.Meta):
        verbose_name = _("изменение целевого значения")
        verbose_name_plural = _("история целевых значений")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.old_value} → {self.new_value}"


class MonitoringYear(models.Model):
    """A district's monitoring of one academic year: its basis and its official computation."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="monitoring_years",
        verbose_name=_("муниципалитет"),
        db_index=False,  # `monitoring_year_unique` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год"))
    reference_date = models.DateField(_("дата среза"))
    basis_number = models.CharField(_("номер приказа"), max_length=50, blank=True)
    basis_date = models.DateField(_("дата приказа"), null=True, blank=True)
    basis_body = models.CharField(_("кем издан"), max_length=255, blank=True)
    computed_at = models.DateTimeField(_("рассчитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("мониторинг учебного года")
        verbose_name_plural = _("мониторинги")
        ordering = ["district", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="monitoring_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.label}"

    @property
    def label(self) -> str:
        return academic_year_label(self.year)


class IndicatorValue(models.Model):
    """An official value: one indicator for one school (or the district when school is null)."""

    monitoring_year = models.ForeignKey(
        MonitoringYear, on_delete=models.CASCADE, related_name="values"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    numerator = models.IntegerField(null=True)
    denominator = models.IntegerField(null=True)
    value = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    status = models.CharField(max_length=10, choices=Status.choices, null=True)
    target = models.DecimalField(max_digits=6, decimal_places=1, null=True)

    class Meta:
        verbose_name = _("значение показателя")
        verbose_name_plural = _("значения показателей")
        constraints = [
            *one_row_per_school_and_district("indicator", "indicator_value"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="indicator_value_denominator_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.school_id or 'district'}: {self.value}"


class MissingPerson(models.Model):
    """A person of a school's population behind its stored figures: the indicators (of those
    that name people) whose numerators missed them when the year was computed. Letters and
    the school page name exactly these people, whatever the records say since.

    One row per person and school rather than per indicator: a school's figures miss most of
    its staff somewhere, and a row per indicator would multiply the rows (and the checks of
    their keys) by the number of indicators.
    """

    monitoring_year = models.ForeignKey(
        MonitoringYear,
        on_delete=models.CASCADE,
        related_name="missing_people",
        verbose_name=_("мониторинг"),
        db_index=False,  # the unique constraint's index leads with it
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("ОО"))
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="missing_from_indicators",
        verbose_name=_("работник"),
    )
    indicators = models.TextField(_("не учтён в показателях"))  # codes: "DIAG PD_3Y"

    class Meta:
        verbose_name = _("работник в поимённом списке показателей")
        verbose_name_plural = _("поимённые списки мониторинга")
        constraints = [
            # Also the index of `missing_by_indicator` (a year and a school).
            models.UniqueConstraint(
                fields=["monitoring_year", "school", "person"], name="missing_person_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.person_id}: {self.indicators}"

    @property
    def codes(self) -> list[str]:
        return self.indicators.split()


class CountedSchool(models.Model):
    """A school a district-only count counts (passes its test), as computed."""

    monitoring_year = models.ForeignKey(
        MonitoringYear,
        on_delete=models.CASCADE,
        related_name="counted_schools",
        db_index=False,  # the unique constraint's index leads with it
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    school = models.ForeignKey(School, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("ОО, учтённая в показателе муниципалитета")
        verbose_name_plural = _("ОО, учтённые в показателях муниципалитета")
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_year", "indicator", "school"], name="counted_school_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.school_id}"


class CountedVacancy(models.Model):
    """A vacancy a school's VACANCY count summed (open at the reference date), as computed:
    letters name exactly the positions their number counts, whatever the records say since."""

    monitoring_year = models.ForeignKey(
        MonitoringYear,
        on_delete=models.CASCADE,
        related_name="counted_vacancies",
        verbose_name=_("мониторинг"),
        db_index=False,  # the index of `counted_vacancies` leads with it
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("ОО"))
    position = models.CharField(_("должность"), max_length=255)
    count = models.PositiveIntegerField(_("количество"))
    opened_on = models.DateField(_("дата открытия"))

    class Meta:
        verbose_name = _("вакансия, учтённая в показателе")
        verbose_name_plural = _("вакансии, учтённые в показателях")
        # The index of `counted_vacancies` (a year, a school or all of them).
        indexes = [models.Index(fields=["monitoring_year", "school"])]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.position} ({self.count})"


# --- Deficits (deficits.md) ---------------------------------------------------------------

# The six components of the diagnostic toolkit, named as the columns of «Диагностика».
COMPONENT_CHOICES = [
    (c, DeficitDiagnostic._meta.get_field(c).verbose_name) for c in DIAGNOSTIC_COMPONENTS
]


class DeficitShare(models.Model):
    """The deficit profile («карта дефицитов»): one component's share of teachers whose latest
    score of the year is a deficit, at one school (or the district when school is null), as
    computed with the year's official values."""

    monitoring_year = models.ForeignKey(
        MonitoringYear, on_delete=models.CASCADE, related_name="deficit_shares"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    component = models.CharField(_("компонент"), max_length=20, choices=COMPONENT_CHOICES)
    numerator = models.IntegerField(_("с дефицитом"))
    denominator = models.IntegerField(_("прошли диагностику"))
    value = models.DecimalField(_("доля, %"), max_digits=4, decimal_places=1, null=True)

    class Meta:
        verbose_name = _("доля педагогов с дефицитом")
        verbose_name_plural = _("карта дефицитов")
        constraints = [
            *one_row_per_school_and_district("component", "deficit_share"),
            models.CheckConstraint(
                condition=Q(denominator__gte=F("numerator")) & Q(numerator__gte=0),
                name="deficit_share_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.school_id or 'district'}: {self.value}"


class DeficitFinding(models.Model):
    """A teacher behind a school's deficit share: their latest score of the year in the
    component (the lowest of that date), a deficit, as computed; the map's cells name exactly
    these people, whatever the records say since."""

    monitoring_year = models.ForeignKey(
        MonitoringYear,
        on_delete=models.CASCADE,
        related_name="deficit_findings",
        db_index=False,  # the unique constraint's index leads with it
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, verbose_name=_("ОО"))
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="deficit_findings",
        verbose_name=_("работник"),
    )
    component = models.CharField(_("компонент"), max_length=20, choices=COMPONENT_CHOICES)
    score = models.PositiveSmallIntegerField(_("балл"))
    date = models.DateField(_("дата диагностики"))

    class Meta:
        verbose_name = _("выявленный дефицит")
        verbose_name_plural = _("выявленные дефициты")
        constraints = [
            # Also the index of a cell's drill-down (a year, a school, a component).
            models.UniqueConstraint(
                fields=["monitoring_year", "school", "component", "person"],
                name="deficit_finding_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.person_id}: {self.score}"


class ComponentTopics(models.Model):
    """A district's own choice of the course topics (`Тематика`) that address a component;
    a component without a row keeps the default of deficits.md (`monitoring.deficits`)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        verbose_name=_("муниципалитет"),
        db_index=False,  # `component_topics_unique` begins with it
    )
    component = models.CharField(_("компонент"), max_length=20, choices=COMPONENT_CHOICES)
    topics = models.CharField(_("тематика"), max_length=300, blank=True)  # ",a,b," as courses

    class Meta:
        verbose_name = _("тематика компонента")
        verbose_name_plural = _("тематика компонентов")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "component"], name="component_topics_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.topics}"


class ComponentTopicsChange(Edit):
    """History of the mapping's edits: who changed which component's topics, when."""

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    component = models.CharField(_("компонент"), max_length=20, choices=COMPONENT_CHOICES)
    old_topics = models.CharField(_("было"), max_length=300, blank=True)
    new_topics = models.CharField(_("стало"), max_length=300, blank=True)

    class Meta(Edit.Meta):
        verbose_name = _("изменение тематики компонента")
        verbose_name_plural = _("история тематики компонентов")

    def __str__(self) -> str:
        return f"{self.component}: {self.old_topics} → {self.new_topics}"


# --- Students' results and problem fields (results.md) ---------------------------------------


class ProblemLimits(models.Model):
    """A district's limits of a problem field in a monitoring year: the failure share `T` at
    or above which a subject is a problem field, and the margin `M` in percentage points
    above the district's share; without a row, the defaults of results.md
    (`monitoring.failures`)."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        verbose_name=_("муниципалитет"),
        db_index=False,  # `problem_limits_unique` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год"))
    threshold = models.DecimalField(_("порог доли, %"), max_digits=4, decimal_places=1)
    margin = models.DecimalField(
        _("превышение доли муниципалитета, п. п."), max_digits=4, decimal_places=1
    )

    class Meta:
        verbose_name = _("пороги проблемных полей")
        verbose_name_plural = _("пороги проблемных полей")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="problem_limits_unique"),
            models.CheckConstraint(
                condition=Q(threshold__gte=0, threshold__lte=100, margin__gte=0, margin__lte=100),
                name="problem_limits_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year}: {self.threshold} / {self.margin}"


class ProblemLimitsChange(Edit):
    """History of the limits' edits: who changed which limit of which year, when."""

    class Limit(models.TextChoices):
        THRESHOLD = "threshold", _("порог доли не справившихся")
        MARGIN = "margin", _("превышение доли муниципалитета")

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("учебный год"))
    limit = models.CharField(_("порог"), max_length=10, choices=Limit.choices)
    old_value = models.DecimalField(_("было"), max_digits=4, decimal_places=1)
    new_value = models.DecimalField(_("стало"), max_digits=4, decimal_places=1)

    class Meta(Edit.Meta):
        verbose_name = _("изменение порога проблемных полей")
        verbose_name_plural = _("история порогов проблемных полей")

    def __str__(self) -> str:
        return f"{self.limit} {self.year}: {self.old_value} → {self.new_value}"


class FailureShare(models.Model):
    """The share of pupils who failed in one subject at one school (or the district when
    school is null) in a year, over every procedure and grade, and whether it is a problem
    field; as computed with the year's official values. Only subjects with participants."""

    monitoring_year = models.ForeignKey(
        MonitoringYear, on_delete=models.CASCADE, related_name="failure_shares"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    subject = models.CharField(_("предмет"), max_length=20, choices=Subject.choices)
    numerator = models.IntegerField(_("не справились"))
    denominator = models.IntegerField(_("участников"))
    value = models.DecimalField(_("доля, %"), max_digits=4, decimal_places=1)
    problem = models.BooleanField(_("проблемное поле"), default=False)

    class Meta:
        verbose_name = _("доля не справившихся")
        verbose_name_plural = _("проблемные поля")
        constraints = [
            *one_row_per_school_and_district("subject", "failure_share"),
            models.CheckConstraint(
                condition=Q(denominator__gte=F("numerator"))
                & Q(numerator__gte=0)
                & Q(denominator__gt=0),
                name="failure_share_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.school_id or 'district'}: {self.value}"
