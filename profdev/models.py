"""The records: districts, schools, providers, people and everything dated about them.

The natural keys of the workbook (`workbook.md`) are unique constraints here, and
date order is a check constraint, so the database itself refuses inconsistent rows.
"""

import json
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from profdev.text import CODE_PATTERN, CODE_RULE, mask_snils, match_key

validate_code = RegexValidator(CODE_PATTERN, f"Код: {CODE_RULE}.")


class District(models.Model):
    code = models.CharField(_("код"), max_length=20, unique=True, validators=[validate_code])
    name = models.CharField(_("наименование"), max_length=255)

    class Meta:
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


REQUISITE_FORMATS = {
    "okpo": RegexValidator(r"^(\d{8}|\d{10}|\d{14})$", _("ОКПО — 8, 10 или 14 цифр.")),
    "ogrn": RegexValidator(r"^\d{13}$", _("ОГРН организации — 13 цифр.")),
    "inn": RegexValidator(r"^\d{10}$", _("ИНН организации — 10 цифр.")),
    "kpp": RegexValidator(
        r"^\d{4}[\dA-Z]{2}\d{3}$",
        _("КПП — 9 знаков: цифры, 5-й и 6-й могут быть заглавными латинскими буквами."),
    ),
}


class Organisation(models.Model):
    """The education office of a district: the requisites printed on its letterhead.

    Entered piece by piece on the requisites page; a letter is sent for signature and signed
    only once every field of REQUIRED is filled (`missing`).
    """

    REQUIRED = (
        "name",
        "parent_body",
        "address",
        "phone",
        "email",
        "okpo",
        "ogrn",
        "inn",
        "kpp",
        "head_position",
        "head_name",
        "name_genitive",
        "name_dative",
    )

    district = models.OneToOneField(
        District,
        on_delete=models.CASCADE,
        related_name="organisation",
        verbose_name=_("муниципалитет"),
    )
    parent_body = models.CharField(_("вышестоящий орган"), max_length=255, blank=True)
    name = models.CharField(_("наименование"), max_length=255, blank=True)
    short_name = models.CharField(_("краткое наименование"), max_length=255, blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    okpo = models.CharField(
        _("ОКПО"), max_length=14, blank=True, validators=[REQUISITE_FORMATS["okpo"]]
    )
    ogrn = models.CharField(
        _("ОГРН"), max_length=15, blank=True, validators=[REQUISITE_FORMATS["ogrn"]]
    )
    inn = models.CharField(
        _("ИНН"), max_length=12, blank=True, validators=[REQUISITE_FORMATS["inn"]]
    )
    kpp = models.CharField(
        _("КПП"), max_length=9, blank=True, validators=[REQUISITE_FORMATS["kpp"]]
    )
    head_position = models.CharField(_("должность руководителя"), max_length=255, blank=True)
    head_name = models.CharField(_("ФИО руководителя"), max_length=255, blank=True)
    name_genitive = models.CharField(
        _("муниципалитет в родительном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Для текста писем: «в образовательных организациях Заречного района»."),
    )
    name_dative = models.CharField(
        _("муниципалитет в дательном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Для текста писем: «по Заречному району»."),
    )

    class Meta:
        verbose_name = _("реквизиты организации")
        verbose_name_plural = _("реквизиты организаций")

    def __str__(self) -> str:
        return self.name or str(self.district)

    def missing(self) -> list[str]:
        """The names of the required requisites still empty."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED
            if not getattr(self, name).strip()
        ]


class School(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("общеобразовательная")
        PRESCHOOL = "preschool", _("дошкольная")
        ADDITIONAL = "additional", _("дополнительного образования")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("муниципалитет")
    )
    code = models.CharField(_("код ОО"), max_length=20, unique=True, validators=[validate_code])
    name = models.CharField(_("наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=255)
    kind = models.CharField(_("тип ОО"), max_length=20, choices=Kind.choices)
    low_results = models.BooleanField(_("ШНОР"), default=False)
    unfavourable = models.BooleanField(_("неблагоприятные условия"), default=False)
    head_name = models.CharField(_("руководитель"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name


class Provider(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "regional", _("региональная")
        MUNICIPAL = "municipal", _("муниципальная")
        FEDERAL = "federal", _("федеральная")
        EXTERNAL = "external", _("сторонняя")

    name = models.CharField(_("наименование"), max_length=500)
    # The name as the workbook matches it (trimmed, case-folded, ё = е): the provider's key.
    name_key = models.CharField(max_length=500, unique=True, editable=False)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    licence = models.CharField(_("лицензия"), max_length=100, blank=True)
    # A provider a school typed into its course form (docs/providers.md): until a methodologist
    # confirms it, only the proposing schools choose it in their forms.
    confirmed = models.BooleanField(_("подтверждена"), default=True, db_default=True)
    proposed_by = models.ManyToManyField(
        School, blank=True, related_name="proposed_providers", verbose_name=_("предложили ОО")
    )
    proposed_at = models.DateTimeField(_("предложена"), null=True, blank=True)

    class Meta:
        verbose_name = _("организация ДПО")
        verbose_name_plural = _("организации ДПО")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = match_key(self.name)
        super().save(*args, **kwargs)


class ProviderDecision(models.Model):
    """A methodologist's decision on a proposed provider: the history of «Предложенные
    организации» (names as they were: a merged or rejected provider is gone)."""

    class Action(models.TextChoices):
        CONFIRMED = "confirmed", _("подтверждена")
        MERGED = "merged", _("объединена с организацией из списка")
        REJECTED = "rejected", _("отклонена")

    name = models.CharField(_("предложенное наименование"), max_length=500)
    schools = models.ManyToManyField(School, related_name="+", verbose_name=_("предложили ОО"))
    proposed_at = models.DateTimeField(_("предложена"), null=True)
    action = models.CharField(_("решение"), max_length=20, choices=Action.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("организация в списке"),
    )
    provider_name = models.CharField(_("наименование в списке"), max_length=500, blank=True)
    courses = models.PositiveIntegerField(_("курсов перенесено"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("решил"),
    )
    decided_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("решение о предложенной организации")
        verbose_name_plural = _("решения о предложенных организациях")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_action_display()}"


class Subject(models.TextChoices):
    """The school subjects of students' results and of teachers (results.md), in its order."""

    RUSSIAN = "russian", _("русский язык")
    MATHS = "maths", _("математика")
    PHYSICS = "physics", _("физика")
    CHEMISTRY = "chemistry", _("химия")
    BIOLOGY = "biology", _("биология")
    GEOGRAPHY = "geography", _("география")
    HISTORY = "history", _("история")
    SOCIAL = "social", _("обществознание")
    INFORMATICS = "informatics", _("информатика")
    LITERATURE = "literature", _("литература")
    FOREIGN = "foreign", _("иностранный язык")
    WORLD = "world", _("окружающий мир")


def encode_choice_set(values, choices: type[models.TextChoices]) -> str:
    """A set of choice values stored as ",a,b," in the order the choices declare them, so
    that «has a» is one LIKE '%,a,%' in grouped SQL; an unknown value raises ValueError."""
    chosen = {choices(v) for v in values}
    ordered = [c.value for c in choices if c in chosen]
    return f",{','.join(ordered)}," if ordered else ""


def decode_choice_set(stored: str) -> list[str]:
    return [v for v in stored.split(",") if v]


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "m", _("м")
        FEMALE = "f", _("ж")

    class Education(models.TextChoices):
        HIGHER_PED = "higher_ped", _("высшее педагогическое")
        HIGHER_NONPED = "higher_nonped", _("высшее непедагогическое")
        VOCATIONAL_PED = "vocational_ped", _("среднее профессиональное педагогическое")
        VOCATIONAL_NONPED = "vocational_nonped", _("среднее профессиональное непедагогическое")
        NONE = "none", _("без профессионального образования")

    snils = models.CharField(_("СНИЛС"), max_length=11, unique=True)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    sex = models.CharField(_("пол"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("дата рождения"))
    education = models.CharField(_("образование"), max_length=20, choices=Education.choices)
    experience_since = models.DateField(_("педагогический стаж с"))
    # The subjects the person teaches (results.md «Teachers' subjects»), encode_choice_set.
    subjects = models.CharField(_("предметы"), max_length=200, blank=True, default="")
    # Optimistic locking: a form saves only if the version it was opened with is still current.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The district of the latest employment, stored when employments are deleted: a person
    # with none left is seen by that district's staff (portal.md); None (never employed) —
    # by regional staff only.
    last_district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("муниципалитет последнего места работы"),
    )

    class Meta:
        verbose_name = _("работник")
        verbose_name_plural = _("работники")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [
            # Staff list search by surname.
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def masked_snils(self) -> str:
        return mask_snils(self.snils)

    @property
    def formatted_snils(self) -> str:
        s = self.snils
        return f"{s[0:3]}-{s[3:6]}-{s[6:9]} {s[9:11]}"

    @property
    def subject_list(self) -> list[str]:
        return decode_choice_set(self.subjects)

    def subject_labels(self) -> list[str]:
        return [str(Subject(s).label) for s in self.subject_list]

    @staticmethod
    def encode_subjects(subjects) -> str:
        return encode_choice_set(subjects, Subject)


def remember_last_district(persons: QuerySet) -> None:
    """Store the district of each person's latest employment (`Employment.LATEST_FIRST`);
    called before employments are deleted, so the last one deleted still names it."""
    latest = (
        Employment.objects.filter(person=OuterRef("pk"))
        .order_by(*Employment.LATEST_FIRST)
        .values("school__district")[:1]
    )
    persons.update(last_district=Subquery(latest))


class EmploymentQuerySet(models.QuerySet):
    def delete(self):
        remember_last_district(Person.objects.filter(pk__in=self.values("person_id")))
        return super().delete()


class Employment(models.Model):
    class Category(models.TextChoices):
        PEDAGOGICAL = "pedagogical", _("педагогический")
        MANAGERIAL = "managerial", _("руководящий")

    class Workplace(models.TextChoices):
        MAIN = "main", _("основное")
        PART_TIME = "part_time", _("совместительство")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="employments",
        verbose_name=_("работник"),
        db_index=False,  # `employment_person_dates` begins with it
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("ОО"),
        db_index=False,  # the index on (school, category, workplace, hired_on) begins with it
    )
    position = models.CharField(_("должность"), max_length=255)
    category = models.CharField(_("категория работника"), max_length=20, choices=Category.choices)
    workplace = models.CharField(_("место работы"), max_length=20, choices=Workplace.choices)
    hired_on = models.DateField(_("дата приема"))
    dismissed_on = models.DateField(_("дата увольнения"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    # A person's latest employment: the one ending last (an open one never ends), then the
    # one hired last.
    LATEST_FIRST = (F("dismissed_on").desc(nulls_first=True), "-hired_on", "-pk")

    class Meta:
        verbose_name = _("трудоустройство")
        verbose_name_plural = _("трудоустройства")
        ordering = ["hired_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "hired_on"], name="employment_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(dismissed_on__isnull=True) | Q(dismissed_on__gte=F("hired_on")),
                name="employment_dates_in_order",
            ),
        ]
        indexes = [
            # Populations at a reference date: school, category, workplace, active range.
            models.Index(fields=["school", "category", "workplace", "hired_on"]),
            # Was a person employed in a district on a day (`facts.employed_at` by person: the
            # providers report, the closure of deficits, the letters' teachers): read from the
            # index alone.
            models.Index(
                fields=["person", "hired_on", "dismissed_on", "school"],
                name="employment_person_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.school} ({self.position})"

    def delete(self, *args, **kwargs):
        remember_last_district(Person.objects.filter(pk=self.person_id))
        return super().delete(*args, **kwargs)


class CourseCompletion(models.Model):
    class Kind(models.TextChoices):
        PK = "pk", _("ПК")
        PP = "pp", _("ПП")

    class Form(models.TextChoices):
        FULL_TIME = "full_time", _("очная")
        MIXED = "mixed", _("очно-заочная")
        EXTRAMURAL = "extramural", _("заочная")

    class Topic(models.TextChoices):
        ASSESSMENT = "assessment", _("оценка качества")
        TALENT = "talent", _("таланты")
        CAREER = "career", _("профориентация")
        UPBRINGING = "upbringing", _("воспитание")
        PRESCHOOL = "preschool", _("дошкольное")
        FEDERAL = "federal", _("федеральные программы")
        LOW_RESULTS = "low_results", _("ШНОР")
        DIGITAL = "digital", _("цифровые")
        INCLUSION = "inclusion", _("инклюзия")
        SUBJECT = "subject", _("предметная")
        METHODOLOGICAL = "methodological", _("методическая")
        MANAGEMENT = "management", _("управление")

    MIN_HOURS = {Kind.PK: 16, Kind.PP: 250}

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("работник"),
        db_index=False,  # `course_natural_key` begins with it
    )
    kind = models.CharField(_("вид программы"), max_length=2, choices=Kind.choices)
    programme = models.CharField(_("программа"), max_length=500)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="courses", verbose_name=_("организация")
    )
    hours = models.PositiveIntegerField(_("часы"))
    form = models.CharField(_("форма"), max_length=20, choices=Form.choices)
    distance = models.BooleanField(_("ДОТ"), default=False)
    finished_on = models.DateField(_("дата окончания"))
    document_number = models.CharField(_("номер документа"), max_length=100, blank=True)
    # Topics as a sorted, comma-separated list of Topic values (",a,b," with guards) so
    # that "has topic X" is one indexed-free LIKE in the grouped SQL of the indicators.
    topics = models.CharField(_("тематика"), max_length=300, blank=True, default="")
    pedagogical = models.BooleanField(_("педагогическая направленность"), default=True)
    federal_register = models.BooleanField(_("федеральный реестр"), default=False)

    class Meta:
        verbose_name = _("пройденная программа")
        verbose_name_plural = _("пройденные программы")
        ordering = ["-finished_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "programme", "provider", "finished_on"],
                name="course_natural_key",
            ),
            models.CheckConstraint(
                condition=(Q(kind="pk") & Q(hours__gte=16)) | (Q(kind="pp") & Q(hours__gte=250)),
                name="course_minimum_hours",
            ),
        ]
        # Covering the indicators' look-ups of a person's courses in a window (kind, provider,
        # distance, direction and topics read from the index alone).
        indexes = [
            models.Index(
                fields=[
                    *("person", "finished_on", "kind", "provider"),
                    *("distance", "pedagogical", "topics"),
                ],
                name="course_indicators",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} «{self.programme}»"

    @property
    def topic_list(self) -> list[str]:
        return decode_choice_set(self.topics)

    def topic_labels(self) -> list[str]:
        return [str(self.Topic(t).label) for t in self.topic_list]

    @staticmethod
    def encode_topics(topics) -> str:
        values = sorted(set(topics))
        return f",{','.join(values)}," if values else ""


class Attestation(models.Model):
    class Result(models.TextChoices):
        CONFORMITY = "conformity", _("соответствие занимаемой должности")
        FIRST = "first", _("первая")
        HIGHEST = "highest", _("высшая")
        METHODIST = "methodist", _("педагог-методист")
        MENTOR = "mentor", _("педагог-наставник")

    CATEGORIES = (Result.FIRST, Result.HIGHEST, Result.METHODIST, Result.MENTOR)

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="attestations",
        verbose_name=_("работник"),
        db_index=False,  # `attestation_natural_key` begins with it
    )
    date = models.DateField(_("дата"))
    result = models.CharField(_("результат"), max_length=20, choices=Result.choices)
    order_number = models.CharField(_("приказ"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("аттестация")
        verbose_name_plural = _("аттестации")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "date", "result"], name="attestation_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()} ({self.date:%d.%m.%Y})"


class ContestParticipation(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("ОО")
        MUNICIPAL = "municipal", _("муниципальный")
        REGIONAL = "regional", _("региональный")
        NATIONAL = "national", _("всероссийский")
        INTERNATIONAL = "international", _("международный")

    class Result(models.TextChoices):
        PARTICIPANT = "participant", _("участник")
        PRIZE = "prize", _("призёр")
        WINNER = "winner", _("победитель")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="contests",
        verbose_name=_("работник"),
        db_index=False,  # `contest_natural_key` begins with it
    )
    name = models.CharField(_("конкурс"), max_length=500)
    level = models.CharField(_("уровень"), max_length=20, choices=Level.choices)
    result = models.CharField(_("результат"), max_length=20, choices=Result.choices)
    date = models.DateField(_("дата"))

    class Meta:
        verbose_name = _("участие в конкурсе")
        verbose_name_plural = _("участие в конкурсах")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name", "date"], name="contest_natural_key")
        ]

    def __str__(self) -> str:
        return self.name


class MentorshipPair(models.Model):
    mentor = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="mentoring",
        verbose_name=_("наставник"),
        db_index=False,  # `mentorship_natural_key` begins with it
    )
    mentee = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="mentored_by",
        verbose_name=_("наставляемый"),
        db_index=False,  # `mentorship_running` begins with it
    )
    started_on = models.DateField(_("дата начала"))
    ended_on = models.DateField(_("дата окончания"), null=True, blank=True)

    class Meta:
        verbose_name = _("наставническая пара")
        verbose_name_plural = _("наставнические пары")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee", "started_on"], name="mentorship_natural_key"
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentorship_distinct_people"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mentorship_dates_in_order",
            ),
        ]
        # Covering «a mentee of a mentorship running in P» (MENTOR_YOUNG).
        indexes = [
            models.Index(fields=["mentee", "started_on", "ended_on"], name="mentorship_running")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


DIAGNOSTIC_COMPONENTS = (
    "subject",
    "methodical",
    "assessment",
    "psychological",
    "communicative",
    "digital",
)


class DeficitDiagnostic(models.Model):
    COMPONENTS = DIAGNOSTIC_COMPONENTS

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="diagnostics",
        verbose_name=_("работник"),
        db_index=False,  # `diagnostic_natural_key` begins with it
    )
    date = models.DateField(_("дата"))
    instrument = models.CharField(_("инструмент"), max_length=255)
    subject = models.PositiveSmallIntegerField(_("предметный"), null=True, blank=True)
    methodical = models.PositiveSmallIntegerField(_("методический"), null=True, blank=True)
    assessment = models.PositiveSmallIntegerField(_("оценочный"), null=True, blank=True)
    psychological = models.PositiveSmallIntegerField(
        _("психолого-педагогический"), null=True, blank=True
    )
    communicative = models.PositiveSmallIntegerField(_("коммуникативный"), null=True, blank=True)
    digital = models.PositiveSmallIntegerField(_("цифровой"), null=True, blank=True)

    class Meta:
        verbose_name = _("диагностика дефицитов")
        verbose_name_plural = _("диагностики дефицитов")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "date", "instrument"], name="diagnostic_natural_key"
            ),
            models.CheckConstraint(
                condition=(
                    Q(subject__isnull=False)
                    | Q(methodical__isnull=False)
                    | Q(assessment__isnull=False)
                    | Q(psychological__isnull=False)
                    | Q(communicative__isnull=False)
                    | Q(digital__isnull=False)
                ),
                name="diagnostic_has_a_score",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{c}__isnull": True}) | Q(**{f"{c}__lte": 100}),
                    name=f"diagnostic_{c}_at_most_100",
                )
                for c in DIAGNOSTIC_COMPONENTS
            ),
        ]
        # Covering «diagnosed in P» and «found a deficit in P» per person.
        indexes = [
            models.Index(
                fields=["person", "date", *DIAGNOSTIC_COMPONENTS], name="diagnostic_deficits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.date:%d.%m.%Y})"

    def scores(self) -> dict[str, int | None]:
        return {c: getattr(self, c) for c in self.COMPONENTS}


# The diagnostic components as choices, named as the diagnostic sheet heads its columns
# («Предметный», …): what a route addresses.
Component = models.TextChoices(
    "Component",
    [
        (c.upper(), (c, str(DeficitDiagnostic._meta.get_field(c).verbose_name).capitalize()))
        for c in DIAGNOSTIC_COMPONENTS
    ],
)


class DevelopmentRoute(models.Model):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("работник"),
        db_index=False,  # `route_natural_key` begins with it
    )
    started_on = models.DateField(_("дата начала"))
    ended_on = models.DateField(_("дата окончания"), null=True, blank=True)
    curator = models.CharField(_("куратор"), max_length=255, blank=True)
    tutor = models.CharField(_("тьютор"), max_length=255, blank=True)
    # The deficits the route addresses: diagnostic components stored as ",a,b," in the order
    # of DIAGNOSTIC_COMPONENTS (as courses store topics), so that «addresses c» is one LIKE.
    components = models.CharField(
        _("компоненты (дефициты)"), max_length=100, blank=True, default=""
    )

    class Meta:
        verbose_name = _("индивидуальный образовательный маршрут")
        verbose_name_plural = _("индивидуальные образовательные маршруты")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "started_on"], name="route_natural_key"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="route_dates_in_order",
            ),
        ]
        # Covering «on a route running in P» and its curator or tutor (IOM, IOM_TUTOR).
        indexes = [
            models.Index(
                fields=["person", "started_on", "ended_on", "curator", "tutor"],
                name="route_running",
            )
        ]

    def __str__(self) -> str:
        return f"ИОМ с {self.started_on:%d.%m.%Y}"

    @property
    def component_list(self) -> list[str]:
        return decode_choice_set(self.components)

    def component_names(self) -> list[str]:
        return [str(Component(c).label) for c in self.component_list]

    @staticmethod
    def encode_components(components) -> str:
        return encode_choice_set(components, Component)


class RouteActivity(models.Model):
    """A planned step of a route: a course (with its topic), mentoring, an internship, a
    methodological event or self-study, with its planned dates and status."""

    class Kind(models.TextChoices):
        COURSE = "course", _("курс")
        MENTORING = "mentoring", _("наставничество")
        INTERNSHIP = "internship", _("стажировка")
        EVENT = "event", _("методическое мероприятие")
        SELF_STUDY = "self_study", _("самообразование")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        DONE = "done", _("выполнено")
        CANCELLED = "cancelled", _("отменено")

    route = models.ForeignKey(
        DevelopmentRoute,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("ИОМ"),
        db_index=False,  # `route_activity_natural_key` begins with it
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    topic = models.CharField(
        _("тематика курса"),
        max_length=20,
        choices=CourseCompletion.Topic.choices,
        blank=True,
        default="",
    )
    title = models.CharField(_("мероприятие"), max_length=500)
    description = models.CharField(_("описание"), max_length=1000, blank=True, default="")
    starts_on = models.DateField(_("начало (план)"))
    ends_on = models.DateField(_("окончание (план)"), null=True, blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The course record it became, once done (a course of the route's person; the form
    # links only a done course, the workbook leaves the link as it is).
    course = models.ForeignKey(
        CourseCompletion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="route_activities",
        verbose_name=_("пройденная программа"),
    )

    class Meta:
        verbose_name = _("мероприятие ИОМ")
        verbose_name_plural = _("мероприятия ИОМ")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "kind", "title", "starts_on"], name="route_activity_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="route_activity_dates_in_order",
            ),
            # Only a course has a topic, and it has one.
            models.CheckConstraint(
                condition=(Q(kind="course") & ~Q(topic="")) | (~Q(kind="course") & Q(topic="")),
                name="route_activity_topic_of_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class ProfessionalActivity(models.Model):
    class Kind(models.TextChoices):
        EXPERT = "expert", _("эксперт")
        METHOD_ASSET = "method_asset", _("методический актив")
        METHOD_ASSOCIATION = "method_association", _("методическое объединение")
        NETWORK = "network", _("сетевое сообщество")
        SHARING = "sharing", _("обобщение опыта")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("работник"),
        db_index=False,  # `activity_natural_key` begins with it
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("описание"), max_length=500)
    date = models.DateField(_("дата"))

    class Meta:
        verbose_name = _("профессиональная деятельность")
        verbose_name_plural = _("профессиональная деятельность")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "description", "date"], name="activity_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class BurnoutRecord(models.Model):
    class Level(models.TextChoices):
        LOW = "low", _("низкий")
        MEDIUM = "medium", _("средний")
        HIGH = "high", _("высокий")
        EXTREME = "extreme", _("крайне высокий")

    HIGH_LEVELS = (Level.HIGH, Level.EXTREME)

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="burnout_records",
        verbose_name=_("работник"),
        db_index=False,  # `burnout_natural_key` begins with it
    )
    date = models.DateField(_("дата"))
    level = models.CharField(_("уровень"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("диагностика выгорания")
        verbose_name_plural = _("диагностики выгорания")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="burnout_natural_key")
        ]
        # Covering the latest level in P (BURNOUT_HIGH).
        indexes = [models.Index(fields=["person", "date", "level"], name="burnout_latest_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.date:%d.%m.%Y})"


class Vacancy(models.Model):
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="vacancies",
        verbose_name=_("ОО"),
        db_index=False,  # `vacancy_natural_key` begins with it
    )
    position = models.CharField(_("должность"), max_length=255)
    count = models.PositiveIntegerField(_("количество"))
    opened_on = models.DateField(_("дата открытия"))
    closed_on = models.DateField(_("дата закрытия"), null=True, blank=True)

    class Meta:
        verbose_name = _("вакансия")
        verbose_name_plural = _("вакансии")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "position", "opened_on"], name="vacancy_natural_key"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="vacancy_count_positive"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="vacancy_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} ({self.school})"


class StudentResult(models.Model):
    """One row of «Результаты обучающихся» (results.md): how a school's pupils of one grade
    did in one procedure and subject in an academic year (`year` is its start year)."""

    class Procedure(models.TextChoices):
        VPR = "vpr", _("ВПР")
        OGE = "oge", _("ОГЭ")
        EGE = "ege", _("ЕГЭ")
        NOKO = "noko", _("НОКО")

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="student_results",
        verbose_name=_("ОО"),
        db_index=False,  # `student_result_natural_key` begins with it
    )
    year = models.PositiveSmallIntegerField(_("учебный год"))
    procedure = models.CharField(_("процедура"), max_length=10, choices=Procedure.choices)
    subject = models.CharField(_("предмет"), max_length=20, choices=Subject.choices)
    grade = models.PositiveSmallIntegerField(_("параллель"))
    participants = models.PositiveIntegerField(_("участников"))
    failed = models.PositiveIntegerField(_("не справились"))
    average_score = models.DecimalField(
        _("средний балл"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("результат обучающихся")
        verbose_name_plural = _("результаты обучающихся")
        ordering = ["-year", "subject", "procedure", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "procedure", "subject", "grade"],
                name="student_result_natural_key",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1) & Q(grade__lte=11), name="student_result_grade"
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="student_result_participants"
            ),
            models.CheckConstraint(
                condition=Q(failed__lte=F("participants")), name="student_result_failed"
            ),
            models.CheckConstraint(
                condition=Q(average_score__isnull=True) | Q(average_score__gte=0),
                name="student_result_average_score",
            ),
        ]
        # The failure shares: Σ failed / Σ participants per school and subject of a year.
        indexes = [
            models.Index(
                fields=["year", "subject", "school", "failed", "participants"],
                name="student_result_shares",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_procedure_display()}, {self.get_subject_display()}, "
            f"{self.grade} класс, {self.year}/{self.year + 1}"
        )


class RoleGrant(models.Model):
    """A user's role; school administrators hold one grant per school they administer."""

    class Role(models.TextChoices):
        SCHOOL_ADMIN = "school_admin", _("администратор ОО")
        METHODOLOGIST = "methodologist", _("методист ИМК")
        HEAD = "head", _("начальник отдела образования")
        REGIONAL_METHODOLOGIST = "regional_methodologist", _("региональный методист")
        ADMIN = "admin", _("администратор")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("пользователь"),
    )
    role = models.CharField(_("роль"), max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("ОО")
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("муниципалитет")
    )

    class Meta:
        verbose_name = _("роль пользователя")
        verbose_name_plural = _("роли пользователей")
        constraints = [
            # A grant is given once: per school, per district, or (regional, admin) as such.
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="role_grant_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(school__isnull=True, district__isnull=False),
                name="role_grant_district_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(school__isnull=True, district__isnull=True),
                name="role_grant_plain_unique",
            ),
            models.CheckConstraint(
                condition=~Q(role="school_admin") | Q(school__isnull=False),
                name="school_admin_has_school",
            ),
        ]

    def __str__(self) -> str:
        scope = self.school or self.district or ""
        return f"{self.user} — {self.get_role_display()} {scope}".strip()


class LogJSONField(models.JSONField):
    """JSON written once and read whole, never queried inside (a log's entries): on PostgreSQL
    a `json` column, the text as written and checked to be JSON, rather than `jsonb`, parsed
    into a binary form for querying that no reader needs; building it cost the server a
    second of a region's first load (881 000 history entries). Its keys stay in the order
    written, as on SQLite, where JSON is text either way."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        # As text: the driver's JSON adapter would cast it to jsonb, sorting its keys.
        if not prepared:
            value = self.get_prep_value(value)
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)

    def from_db_value(self, value, expression, connection):
        if connection.vendor == "postgresql":
            # The driver decodes a json column itself (Django has it hand over jsonb's text):
            # decoding again would turn a JSON string holding "12" into a number.
            return value
        return super().from_db_value(value, expression, connection)


class ChangeRecord(models.Model):
    """History of changes to personal records: who, when, what (152-ФЗ); and of the records
    of a school that name no person (its students' results), by `school`."""

    class Action(models.TextChoices):
        CREATE = "create", _("создание")
        UPDATE = "update", _("изменение")
        DELETE = "delete", _("удаление")

    class Source(models.TextChoices):
        WORKBOOK = "workbook", _("книга Excel")
        FORM = "form", _("форма портала")
        ERASURE = "erasure", _("удаление по запросу работника")

    # Their look-ups (and the deletions that null them) use the indexes below, which begin
    # with them: no index of their own to keep up on each of a region's first load's rows;
    # a school's and a user's hold only the rows naming one (most name neither).
    # The history is a log appended to beside the changes it describes: the database does not
    # check its references (`db_constraint=False`, as history tables commonly have). Each
    # names a person, a school or a user that the same transaction writes or holds, and a
    # deletion nulls it through the ORM (SET_NULL); checked, a region's first load spent
    # nearly a second of its commit on PostgreSQL re-reading the persons it had just created.
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="changes",
        verbose_name=_("работник"),
        db_index=False,
        db_constraint=False,
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("ОО"),
        db_index=False,
        db_constraint=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("пользователь"),
        db_index=False,
        db_constraint=False,
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    source = models.CharField(_("источник"), max_length=50, choices=Source.choices)
    record_type = models.CharField(_("вид записи"), max_length=100)
    record_label = models.CharField(_("запись"), max_length=500)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    changes = LogJSONField(_("изменения"), default=dict)

    class Meta:
        verbose_name = _("изменение персональных данных")
        verbose_name_plural = _("история изменений")
        ordering = ["-at", "-id"]
        # A person's card, a school's results page: their latest changes; a user's changes
        # (nulled when the user is deleted).
        indexes = [
            models.Index(fields=["person", "-at"]),
            models.Index(
                fields=["school", "-at"],
                name="change_of_school_at",
                condition=models.Q(school__isnull=False),
            ),
            models.Index(
                fields=["user"], name="change_by_user", condition=models.Q(user__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.record_label}"


class AccessLog(models.Model):
    """Who opened or exported whose personal data, and when (152-ФЗ: access accounting)."""

    class Action(models.TextChoices):
        VIEW = "view", _("просмотр карточки")
        EXPORT = "export", _("выгрузка данных")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("пользователь"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    subject = models.CharField(_("что выгружено"), max_length=255, blank=True)
    # The log outlives the records it mentions: deleting a person or school keeps the entry.
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("работник"),
        db_index=False,  # the index on (person, -at) begins with it
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("ОО")
    )

    class Meta:
        verbose_name = _("обращение к персональным данным")
        verbose_name_plural = _("журнал обращений к персональным данным")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_action_display()} ({self.at:%d.%m.%Y %H:%M})"


class Job(models.Model):
    """A background job (profdev.jobs): who started it, its progress, result or error.

    The task queue row (django-tasks-db) only runs it; this row is what the job page shows.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("выполняется")
        DONE = "done", _("готово")
        FAILED = "failed", _("ошибка")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    function = models.CharField(_("задача"), max_length=200)  # dotted path of a jobs.JobFunction
    title = models.CharField(_("название"), max_length=255)
    arguments = models.JSONField(_("аргументы"), default=dict)
    key = models.CharField(_("ключ идемпотентности"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("кто запустил")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("муниципалитет"),
        help_text=_("Пусто — задача уровня региона."),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("выполнено"), default=0)
    total = models.PositiveIntegerField(_("всего"), default=0)
    message = models.CharField(_("этап"), max_length=255, blank=True)
    result = models.JSONField(_("результат"), null=True, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    task_id = models.CharField(_("задача в очереди"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    started_at = models.DateTimeField(_("начата"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("признак жизни"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершена"), null=True, blank=True)

    class Meta:
        verbose_name = _("фоновая задача")
        verbose_name_plural = _("фоновые задачи")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Idempotency: one queued or running job per function and arguments.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]),
                name="job_one_active_per_key",
            ),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="job_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


def upload_path(upload: "Upload", filename: str) -> str:
    """Where an uploaded file is stored: a random name, never the user's."""
    return f"uploads/{uuid.uuid4().hex}.xlsx"


class Upload(models.Model):
    """A workbook uploaded from the web (profdev.uploads), kept between its preview and the
    confirmation: the file (in the storage under MEDIA_ROOT/uploads, not in the database),
    what the preview showed and the fingerprint of the data the check read (the confirmation
    writes the file only against the same data: `profdev.uploads`).

    Only its uploader opens it; a confirmed upload keeps its summary and drops the file.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("проверяется")
        CHECKED = "checked", _("проверен")
        APPLYING = "applying", _("записывается")
        APPLIED = "applied", _("загружен")
        STALE = "stale", _("данные изменились после проверки")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("кто загрузил")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("ОО"),
        help_text=_("Пусто — книга муниципалитета."),
    )
    filename = models.CharField(_("имя файла"), max_length=255)
    file = models.FileField(_("файл"), upload_to=upload_path, blank=True, editable=False)
    size = models.PositiveIntegerField(_("размер файла, байт"))
    unpacked = models.PositiveBigIntegerField(_("размер после распаковки, байт"), default=0)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    summary = models.JSONField(_("итог проверки"), default=dict)  # what the preview shows
    # `state_token` of the check without errors; empty otherwise and once written
    state_token = models.CharField(
        _("отпечаток данных при проверке"), max_length=64, blank=True, editable=False
    )
    job = models.ForeignKey(
        Job,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workbook_uploads",
        verbose_name=_("фоновая задача"),
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    checked_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    applied_at = models.DateTimeField(_("записан"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка книги")
        verbose_name_plural = _("загрузки книг")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        """Checked without errors (only then has it a `state_token`)."""
        return self.status == self.Status.CHECKED and not self.summary.get("error_count")
