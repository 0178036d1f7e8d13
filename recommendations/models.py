"""Recommendation rules, targeted letters, their outgoing register and the signers' certificates."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator, MonitoringYear, Status
from profdev.models import DevelopmentRoute, District, Provider, School
from profdev.text import natural_key


class Audience(models.TextChoices):
    SCHOOL_ADMINISTRATION = "administration", _("Администрации образовательной организации")
    TEACHERS = "teachers", _("Педагогическим работникам")
    METHODOLOGICAL_OFFICE = "method_office", _("Методической службе (ИМК)")


class RecommendationRule(models.Model):
    class Trigger(models.TextChoices):
        RED = "red", _("красный (за пределами допуска)")
        YELLOW = "yellow", _("жёлтый (в пределах допуска)")
        RED_YELLOW = "red_yellow", _("красный и жёлтый")

    # The statuses each trigger answers: a yellow figure gets its own, softer texts.
    FIRES_ON = {
        Trigger.RED: {Status.RED},
        Trigger.YELLOW: {Status.YELLOW},
        Trigger.RED_YELLOW: {Status.RED, Status.YELLOW},
    }

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="recommendation_rules",
        verbose_name=_("показатель"),
    )
    trigger = models.CharField(
        _("срабатывает при статусе"), max_length=10, choices=Trigger.choices, default=Trigger.RED
    )
    audience = models.CharField(_("адресат"), max_length=20, choices=Audience.choices)
    text = models.TextField(_("текст рекомендации"))
    active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("правило рекомендаций")
        verbose_name_plural = _("правила рекомендаций")
        ordering = ["indicator_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        # A count has no tolerance band: its figure is never yellow.
        is_count = self.indicator_id and self.indicator.kind == Indicator.Kind.COUNT
        if is_count and self.trigger == self.Trigger.YELLOW:
            raise ValidationError(
                {
                    "trigger": f"Показатель «{self.indicator.name}» — количество, у него нет "
                    "допуска: жёлтого статуса не бывает, правило не сработает."
                }
            )

    def fires_on(self, status: str | None) -> bool:
        return status in self.FIRES_ON[self.trigger]


class OutgoingRegister(models.Model):
    """The office's outgoing register for one calendar year: number format and next number.

    The register is shared with letters sent outside the portal, so the next number is settable.
    """

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        verbose_name=_("муниципалитет"),
        db_index=False,  # `outgoing_register_unique` begins with it
    )
    year = models.PositiveSmallIntegerField(_("календарный год"))
    number_format = models.CharField(
        _("формат номера"),
        max_length=50,
        default="01-14/{n}",
        help_text=_("{n} заменяется порядковым номером, например 01-14/{n}."),
    )
    next_number = models.PositiveIntegerField(_("следующий номер"), default=1)

    class Meta:
        verbose_name = _("журнал исходящих")
        verbose_name_plural = _("журналы исходящих")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="outgoing_register_unique"),
            models.CheckConstraint(
                condition=Q(next_number__gte=1), name="outgoing_register_next_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.year}"

    def format_number(self, n: int) -> str:
        return self.number_format.replace("{n}", str(n))


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class Letter(models.Model):
    """An official letter of the office: a targeted letter to one school, the district letter
    to every school («Руководителям ОО»), or a course order to a provider; its `kind` says
    which."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("письмо ОО")
        DISTRICT = "district", _("письмо «Руководителям ОО»")
        COURSE_ORDER = "course_order", _("план-заказ исполнителю")

    class State(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SENT = "sent", _("на подписи")
        RETURNED = "returned", _("возвращено на доработку")
        SIGNED = "signed", _("подписано")

    # The letters drafted from a year's official values (`recommendations.drafting`).
    MONITORING = (Kind.SCHOOL, Kind.DISTRICT)
    EDITABLE = (State.DRAFT, State.RETURNED)
    SIGNABLE = (State.DRAFT, State.SENT)
    # Columns a list or report never needs; `.defer(*Letter.HEAVY)` leaves them in the database.
    HEAVY = ("pdf", "body", "generated_body", "figures", "signer_certificate", "signature")

    monitoring_year = models.ForeignKey(
        MonitoringYear,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("мониторинг"),
    )
    kind = models.CharField(_("вид письма"), max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("ОО"),
    )
    # The provider a course order is issued to (a course order's letter only).
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("организация ДПО"),
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("заголовок"), max_length=500)
    addressee = models.TextField(_("адресат"))
    body = models.TextField(_("текст"))
    generated_body = models.TextField(_("сформированный текст"))
    edited = models.BooleanField(_("изменено методистом"), default=False)
    figures = models.JSONField(_("показатели на дату составления"), default=dict)
    number = models.CharField(_("исходящий номер"), max_length=50, blank=True)
    # The register (district and calendar year) and serial the number was taken from: the
    # database refuses a serial issued twice in one register.
    register = models.ForeignKey(
        OutgoingRegister,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("журнал исходящих"),
        db_index=False,  # `letter_serial_once_per_register` begins with it
    )
    serial = models.PositiveIntegerField(_("порядковый номер"), null=True, blank=True)
    date = models.DateField(_("дата"), null=True, blank=True)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("исполнитель"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("подписал"),
    )
    signer_name = models.CharField(_("подписант"), max_length=255, blank=True)
    signer_position = models.CharField(_("должность подписанта"), max_length=255, blank=True)
    # The signer's public certificate (DER) as it was at signing: the verification's trust anchor.
    signer_certificate = models.BinaryField(_("сертификат подписанта"), null=True, blank=True)
    pdf = models.BinaryField(_("подписанный PDF"), null=True, blank=True)
    # A letter signed with the head's КЭП: the detached CAdES-BES signature of `pdf` (DER).
    signature = models.BinaryField(_("открепленная подпись КЭП"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    return_comment = models.TextField(_("комментарий при возврате"), blank=True)
    token = models.CharField(
        _("код проверки"),
        max_length=64,
        unique=True,
        default=new_verification_token,
        editable=False,
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)
    signed_at = models.DateTimeField(_("подписано"), null=True, blank=True)

    class Meta:
        verbose_name = _("адресное письмо")
        verbose_name_plural = _("адресные письма")
        ordering = ["monitoring_year", "school__code", "id"]
        constraints = [
            # One letter per school and year, and one district letter a year.
            models.UniqueConstraint(
                fields=["monitoring_year", "school"],
                condition=Q(kind="school"),
                name="letter_one_per_school_and_year",
            ),
            models.UniqueConstraint(
                fields=["monitoring_year"],
                condition=Q(kind="district"),
                name="letter_one_district_letter_per_year",
            ),
            # One course order letter per provider and year.
            models.UniqueConstraint(
                fields=["monitoring_year", "provider"],
                condition=Q(kind="course_order"),
                name="letter_one_course_order_per_provider_and_year",
            ),
            # A school's letter names its school, a course order its provider; no other does.
            models.CheckConstraint(
                condition=Q(kind="school", school__isnull=False, provider__isnull=True)
                | Q(kind="district", school__isnull=True, provider__isnull=True)
                | Q(kind="course_order", school__isnull=True, provider__isnull=False),
                name="letter_addressee_of_its_kind",
            ),
            models.UniqueConstraint(
                fields=["register", "serial"], name="letter_serial_once_per_register"
            ),
            models.CheckConstraint(
                condition=~Q(status="signed")
                | (Q(pdf__isnull=False) & ~Q(number="") & Q(date__isnull=False) & ~Q(sha256="")),
                name="letter_signed_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.addressee_short} — {self.monitoring_year.label}"

    @property
    def is_to_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT

    @property
    def addressee_short(self) -> str:
        if self.kind == self.Kind.SCHOOL:
            return self.school.short_name
        if self.kind == self.Kind.DISTRICT:
            return str(_("Руководителям ОО"))
        return self.provider.name

    def natural_order(self) -> tuple:
        """Where the letter stands in every list of letters (a sort key): the district letter
        first, then the schools by short name as people count them («№ 2» before «№ 10»),
        then the course orders by their provider."""
        if self.kind == self.Kind.DISTRICT:
            return (0,)
        rank = 1 if self.kind == self.Kind.SCHOOL else 2
        return (rank, natural_key(self.addressee_short))

    @property
    def is_signed(self) -> bool:
        return self.status == self.State.SIGNED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_signable(self) -> bool:
        return self.status in self.SIGNABLE


class CitedFinding(models.Model):
    """A breach a monitoring letter cites, as its figures froze it when it was drafted
    (`recommendations.findings.cited_rows`): the indicator, its status and value then and the
    value as the letter wrote it. Kept beside the figures so that a report of a year's letters
    reads a few narrow rows instead of every letter's whole figures."""

    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="cited",
        verbose_name=_("письмо"),
        db_index=False,  # `cited_finding_once_per_letter` begins with it
    )
    order = models.PositiveSmallIntegerField(_("порядок в письме"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("показатель")
    )
    status = models.CharField(_("статус тогда"), max_length=10, choices=Status.choices)
    # As the indicator's stored value (`monitoring.IndicatorValue.value`).
    value = models.DecimalField(_("значение тогда"), max_digits=7, decimal_places=1, null=True)
    value_text = models.CharField(_("значение в письме"), max_length=50)

    class Meta:
        verbose_name = _("показатель, указанный в письме")
        verbose_name_plural = _("показатели, указанные в письмах")
        ordering = ["letter", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "indicator"], name="cited_finding_once_per_letter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.indicator_id}: {self.value_text}"


class LetterSeal(models.Model):
    """The keyed seal of a signed letter's PDF: HMAC under PROFDEV_SEAL_KEY (kept outside the
    database), so a PDF replaced in the database together with its SHA-256 still fails it.

    Apart from the frozen letter row, so that `reseal_letters` can renew it under a new key.
    """

    letter = models.OneToOneField(
        Letter,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="seal",
        verbose_name=_("письмо"),
    )
    value = models.CharField(_("печать целостности"), max_length=64)
    sealed_at = models.DateTimeField(_("запечатано"), auto_now=True)

    class Meta:
        verbose_name = _("печать целостности письма")
        verbose_name_plural = _("печати целостности писем")

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.sealed_at:%d.%m.%Y %H:%M}"


class LetterEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("составлено")
        REDRAFTED = "redrafted", _("составлено заново")
        EDITED = "edited", _("изменено")
        SENT = "sent", _("направлено на подпись")
        RETURNED = "returned", _("возвращено")
        SIGNED = "signed", _("подписано")
        PREPARED = "prepared", _("подготовлено к подписи КЭП")
        DOWNLOADED = "downloaded", _("скачано")
        CONFIRMED = "confirmed", _("ознакомлен")

    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("письмо"),
        db_index=False,  # the index on (letter, kind) begins with it
    )
    kind = models.CharField(_("событие"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("пользователь"),
    )
    at = models.DateTimeField(_("когда"), auto_now_add=True)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("событие письма")
        verbose_name_plural = _("журнал писем")
        ordering = ["at", "id"]
        indexes = [
            # The letter list: who confirmed receipt of each letter.
            models.Index(fields=["letter", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d.%m.%Y %H:%M})"


class SigningCertificate(models.Model):
    """A signer's PKCS#12 bundle; the passphrase is stored encrypted with a key from SECRET_KEY."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signing_certificate",
        verbose_name=_("пользователь"),
    )
    signer_name = models.CharField(_("ФИО подписанта"), max_length=255)
    signer_position = models.CharField(
        _("должность подписанта"),
        max_length=255,
        help_text=_("Как в подписи письма, например «Начальник отдела образования»."),
    )
    pkcs12 = models.BinaryField(_("файл PKCS#12"))
    passphrase_encrypted = models.BinaryField(_("пароль (зашифрован)"))
    serial_number = models.CharField(_("серийный номер"), max_length=100, editable=False)
    owner = models.CharField(_("владелец"), max_length=255, editable=False)
    valid_from = models.DateTimeField(_("действителен с"), editable=False)
    valid_until = models.DateTimeField(_("действителен по"), editable=False)

    class Meta:
        verbose_name = _("сертификат подписи")
        verbose_name_plural = _("сертификаты подписи")

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.serial_number})"


# --- Schools report back on their letters -------------------------------------------------

# Days after the letter's date a school has to report back, unless a methodologist set a term.
RESPONSE_DAYS = 30


class ResponseTerm(models.Model):
    """The date by which the school reports back on its letter, as a methodologist set it.

    Apart from the letter: a signed letter's row is frozen (migration 0003), and the term is
    set or moved after signing too. Without a term the school answers within `RESPONSE_DAYS`
    after the letter's date (`recommendations.responses.response_due`)."""

    letter = models.OneToOneField(
        Letter,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="response_term",
        verbose_name=_("письмо"),
    )
    due = models.DateField(_("ответить до"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто установил"),
    )
    set_at = models.DateTimeField(_("установлено"), auto_now=True)

    class Meta:
        verbose_name = _("срок ответа на письмо")
        verbose_name_plural = _("сроки ответов на письма")

    def __str__(self) -> str:
        return f"{self.letter_id}: до {self.due:%d.%m.%Y}"


class FindingResponse(models.Model):
    """A school's report on one finding of its letter (an indicator the letter cites): what was
    done, when, and the development routes (ИОМ) of the school's people that address it.

    The measures a response names are linked from the measures' side
    (`effectiveness.Measure.responses`): the measures are a layer above the letters, so the
    letters never import them; the response form offers them through
    `recommendations.responses.LINKS`, which the measures' app fills."""

    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("письмо"),
        db_index=False,  # `finding_response_once_per_finding` begins with it
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("показатель")
    )
    done = models.TextField(_("что сделано"))
    done_on = models.DateField(_("когда"))
    routes = models.ManyToManyField(
        DevelopmentRoute,
        blank=True,
        related_name="letter_responses",
        verbose_name=_("индивидуальные образовательные маршруты"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто внёс"),
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("ответ ОО на письмо")
        verbose_name_plural = _("ответы ОО на письма")
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "indicator"], name="finding_response_once_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.indicator_id}: {self.done_on:%d.%m.%Y}"


class QualifiedCertificate(models.Model):
    """A head's qualified certificate (КЭП, ГОСТ Р 34.10-2012) as registered: the key stays on
    the head's token, the portal keeps only the certificate to check their signatures."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualified_certificate",
        verbose_name=_("пользователь"),
    )
    der = models.BinaryField(_("сертификат (DER)"))
    signer_position = models.CharField(
        _("должность подписанта"),
        max_length=255,
        help_text=_("Как в подписи письма, например «Начальник отдела образования»."),
    )
    owner = models.CharField(_("владелец"), max_length=255)
    organisation = models.CharField(_("организация"), max_length=500, blank=True)
    serial_number = models.CharField(_("серийный номер"), max_length=100)
    issuer = models.CharField(_("УЦ"), max_length=500)
    valid_from = models.DateTimeField(_("действителен с"))
    valid_until = models.DateTimeField(_("действителен по"))
    registered_at = models.DateTimeField(_("зарегистрирован"), auto_now=True)

    class Meta:
        verbose_name = _("квалифицированный сертификат")
        verbose_name_plural = _("квалифицированные сертификаты")

    def __str__(self) -> str:
        return f"{self.owner} ({self.serial_number})"


class SignaturePreparation(models.Model):
    """The exact PDF offered to the head for a КЭП signature; the letter holds the number and
    date it reserved until the signature arrives."""

    letter = models.OneToOneField(
        Letter,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preparation",
        verbose_name=_("письмо"),
    )
    certificate_der = models.BinaryField(_("сертификат, для которого подготовлен"))
    pdf = models.BinaryField(_("PDF к подписанию"))
    # What the PDF shows (letter, requisites, certificate): a preparation is reused while it
    # is unchanged.
    fingerprint = models.CharField(_("отпечаток содержания"), max_length=64)
    prepared_at = models.DateTimeField(_("подготовлено"), auto_now=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("подготовил"),
    )

    class Meta:
        verbose_name = _("подготовка к подписи КЭП")
        verbose_name_plural = _("подготовки к подписи КЭП")

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.prepared_at:%d.%m.%Y %H:%M}"
