"""The workbook format (`workbook.md`, version 3) as data: one `Sheet` per table.

A column maps a header to a model field with its parser; a reference column holds the
natural key of the school (code), person (СНИЛС), provider (matched name) or district
(code) it names (`REFERENCES`). A sheet may define the keys of a reference: rows of «ОО»
and «Организации ДПО» are the schools and providers themselves, rows of «Педагоги» name
their persons with the persons' own fields; districts are defined only in the system.
The importer, the exporter and their tests read only these specs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from django.db import models

from profdev.facts import academic_year_label
from profdev.models import (
    Attestation,
    BurnoutRecord,
    ContestParticipation,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    District,
    Employment,
    MentorshipPair,
    Person,
    ProfessionalActivity,
    Provider,
    RoleGrant,
    RouteActivity,
    School,
    StudentResult,
    Subject,
    Vacancy,
)
from profdev.text import format_snils, match_key
from profdev.workbook import rules

DELETE_HEADER = "Удалить"
INSTRUCTIONS = "Инструкция"  # the exported book's own help sheet, not data
NAME_HEADER = "ФИО"

Record = dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """What a reference column names: a row of `model` by its `key` field."""

    model: type[models.Model]
    key: str
    noun: str  # one that is missing, named in a message: "ОО с кодом «{}»"
    fields: tuple[str, ...] = ()  # the stored fields the importer reads besides the key
    # A key as a message shows it; without, as the user wrote it (a provider's name is
    # matched lower-cased, but named as typed).
    spelled: Callable[[str], str] | None = None

    def shown(self, key: str, raw: Any = None) -> str:
        if self.spelled is not None or raw is None:
            return (self.spelled or str)(key)
        return rules.shown(raw)


def _snils_shown(snils: str) -> str:
    return format_snils(snils) if len(snils) == 11 else snils


REFERENCES = {
    "person": Reference(
        Person,
        "snils",
        "работника со СНИЛС {}",
        fields=(*rules.PERSON_OWN_FIELDS, "version"),
        spelled=_snils_shown,
    ),
    "school": Reference(School, "code", "ОО с кодом «{}»"),
    "provider": Reference(Provider, "name_key", "организации «{}»"),
    "district": Reference(District, "code", "муниципалитета с кодом «{}»"),
}


class Defines(NamedTuple):
    """The reference (`REFERENCES`) whose keys a sheet's rows define, in `field`."""

    reference: str
    field: str


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: rules.Parser
    required: bool = False
    default: Any = None  # the value of an empty optional cell
    ref: str | None = None  # "person" | "school" | "provider" | "district"
    person: bool = False  # a person's own field (sheet «Педагоги»)
    choices: type[models.TextChoices] | None = None
    # How the workbook writes a stored value that is not written as stored (the export, the
    # history): an academic year 2024 as «2024/2025».
    written: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Parent:
    """The record of another sheet each row belongs to (a route's activities): named by
    the row's `fields`, which hold the parent sheet's key in its order, and stored in the
    model's `field`; `path` leads from the model to the parent («route__»), so the row's
    key fields are read through it."""

    sheet: "Sheet"
    field: str
    fields: tuple[str, ...]
    path: str
    noun: str  # one that is missing, named in a message with the row's `fields`

    def lookup(self, name: str) -> str:
        """The ORM lookup of a row's key field: the parent's own field it holds."""
        parent_field = self.sheet.key[self.fields.index(name)]
        return f"{self.path}{parent_field}"


@dataclass(frozen=True)
class Sheet:
    """One table of the format. A reference sheet's rows are what other rows name: they
    define the keys of their own model (`defines`: «ОО», «Организации ДПО») and go only when
    nothing names them (`in_use`). The rows of a person-record sheet name their persons
    (`person_fields`), whose history records each change; «Педагоги» also carries the
    persons' own fields (`Column.person`), and so defines the persons."""

    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    row_rules: tuple[Callable[[Record], list[rules.FieldMessage]], ...] = ()
    # Completes a parsed record (derived fields); called before the rules.
    normalise: Callable[[Record], None] | None = None
    # Scope: the field naming the row's school, and the fields naming its persons.
    school_field: str | None = None
    person_fields: tuple[str, ...] = ()
    # The field naming the row's district: empty, it is the only district in the system;
    # a district's staff may create rows in their districts.
    district_field: str | None = None
    # What a school administrator may do with rows of this sheet (besides leaving them as
    # they are), the fields they may not change, and a rule on the rows they create.
    admin_actions: frozenset[str] = frozenset()
    admin_fixed: tuple[str, ...] = ()
    admin_create_rule: Callable[[Record], str | None] | None = None
    extra_fields: tuple[str, ...] = ()  # derived fields stored on the model
    key_columns: tuple[str, ...] = ()  # the columns a derived key comes from
    # How a row is dated: its day, or (start, end) of the span it lasts (an open end runs on).
    dated_by: tuple[str, ...] = ()
    defines: Defines | None = None  # the keys other rows name
    # A row the file deletes must not be named any more: by the rows of the sheets referring
    # to it, or by the (model, field) pairs outside the workbook; `in_use` says so.
    in_use: str = ""
    referred_outside: tuple[tuple[type[models.Model], str], ...] = ()
    parent: Parent | None = None
    # The rows' changes go to the history of the school they name (`school_field`), as
    # those of personal records go to their persons' (results of a school name no person).
    school_history: bool = False

    @property
    def key_inputs(self) -> tuple[str, ...]:
        return self.key_columns or self.key

    @cached_property
    def own_fields(self) -> tuple[str, ...]:
        """The fields of the persons the rows name (`Column.person`), not of the rows."""
        return tuple(c.field for c in self.columns if c.person)

    @property
    def is_reference(self) -> bool:
        """Whether the rows are what other rows name (deleting one deletes a school)."""
        return self.defines is not None and self.model is REFERENCES[self.defines.reference].model

    @cached_property
    def name_headers(self) -> dict[str, str]:
        """The «ФИО» column beside each СНИЛС column, by the person's field («ФИО наставника»
        beside «СНИЛС наставника»); not on the sheet carrying the persons' own fields. Not
        stored: the export fills it in, the import checks it against the person's name and
        warns when they differ (a СНИЛС mistyped for another person's)."""
        if self.own_fields:
            return {}
        return {
            c.field: c.header.replace("СНИЛС", NAME_HEADER)
            for c in self.columns
            if c.ref == "person"
        }

    @cached_property
    def headers(self) -> tuple[str, ...]:
        """The headers as the export writes them: each name column after its СНИЛС."""
        headers = []
        for column in self.columns:
            headers.append(column.header)
            if column.field in self.name_headers:
                headers.append(self.name_headers[column.field])
        return tuple(headers)

    @cached_property
    def reference_columns(self) -> tuple[Column, ...]:
        """The columns naming a reference (a school, a person, a provider…)."""
        return tuple(c for c in self.columns if c.ref is not None)

    @cached_property
    def columns_by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns}

    def column(self, field_name: str) -> Column:
        return self.columns_by_field[field_name]

    def header_of(self, field_name: str) -> str:
        return self.column(field_name).header


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _decimal(model: type[models.Model], name: str) -> rules.Parser:
    field = model._meta.get_field(name)
    return rules.decimal(field.max_digits, field.decimal_places)


def text(model, header: str, name: str, required: bool = False, person: bool = False) -> Column:
    return Column(header, name, rules.text(_max_length(model, name)), required, "", person=person)


def date(header: str, name: str, required: bool = False, person: bool = False) -> Column:
    return Column(header, name, rules.date_value, required, None, person=person)


def yes_no(model, header: str, name: str) -> Column:
    return Column(header, name, rules.yes_no, False, model._meta.get_field(name).default)


def choice(
    model, header: str, name: str, aliases=None, person: bool = False, choices=None
) -> Column:
    choices = choices or _choices_of(model, name)
    return Column(
        header,
        name,
        rules.choice(choices, aliases),
        True,
        person=person,
        choices=choices,
    )


def _choices_of(model, name: str) -> type[models.TextChoices]:
    values = {v for v, _ in model._meta.get_field(name).choices}
    for attr in vars(model).values():
        if (
            isinstance(attr, type)
            and issubclass(attr, models.TextChoices)
            and set(attr.values) == values
        ):
            return attr
    raise LookupError(f"{model.__name__}.{name}: no TextChoices")


def person(header: str = "СНИЛС", name: str = "person") -> Column:
    return Column(header, name, rules.snils, True, ref="person")


def school() -> Column:
    return Column(
        "Код ОО",
        "school",
        rules.text(_max_length(School, "code")),
        True,
        ref="school",
    )


_provider_name = rules.text(_max_length(Provider, "name"))


def _provider_key(raw: Any) -> str:
    return match_key(_provider_name(raw))


def _provider_name_key(record: Record) -> None:
    if "name" in record:
        record["name_key"] = match_key(record["name"])


DISTANCE = "distance"  # the label «дистанционная»: заочная with ДОТ (workbook.md)


def _distance_form(record: Record) -> None:
    if record.get("form") == DISTANCE:
        record["form"] = CourseCompletion.Form.EXTRAMURAL
        record["distance"] = True


def _external_only(record: Record) -> str | None:
    if record.get("kind") == Provider.Kind.EXTERNAL:
        return None
    return "новую организацию администратор ОО может добавить только с видом «сторонняя»"


ALL_ACTIONS = frozenset({"create", "update", "delete"})

SCHOOLS = Sheet(
    name="ОО",
    model=School,
    columns=(
        Column("Код ОО", "code", rules.code(_max_length(School, "code")), True, ""),
        text(School, "Наименование", "name", required=True),
        text(School, "Краткое наименование", "short_name", required=True),
        choice(School, "Тип ОО", "kind"),
        yes_no(School, "ШНОР", "low_results"),
        yes_no(School, "Неблагоприятные условия", "unfavourable"),
        text(School, "Руководитель", "head_name"),
        Column("Email", "email", rules.email(_max_length(School, "email")), default=""),
        Column("Муниципалитет", "district", rules.text(20), ref="district"),
    ),
    key=("code",),
    defines=Defines("school", "code"),
    in_use=(
        "нельзя удалить ОО, пока у неё есть трудоустройства, вакансии, результаты обучающихся "
        "или администраторы"
    ),
    referred_outside=((RoleGrant, "school"),),
    school_field="code",
    district_field="district",
    admin_actions=frozenset({"update"}),
    admin_fixed=("kind", "low_results", "unfavourable", "district"),
)

PROVIDERS = Sheet(
    name="Организации ДПО",
    model=Provider,
    columns=(
        text(Provider, "Наименование", "name", required=True),
        choice(Provider, "Вид", "kind"),
        text(Provider, "Лицензия", "licence"),
    ),
    key=("name_key",),
    defines=Defines("provider", "name_key"),
    in_use="нельзя удалить организацию, пока есть пройденные в ней программы",
    normalise=_provider_name_key,
    admin_actions=frozenset({"create"}),
    admin_create_rule=_external_only,
    extra_fields=("name_key",),
    key_columns=("name",),
)

STAFF = Sheet(
    name="Педагоги",
    model=Employment,
    columns=(
        person(),
        text(Person, "Фамилия", "last_name", required=True, person=True),
        text(Person, "Имя", "first_name", required=True, person=True),
        text(Person, "Отчество", "middle_name", person=True),
        choice(Person, "Пол", "sex", person=True),
        date("Дата рождения", "birth_date", required=True, person=True),
        school(),
        text(Employment, "Должность", "position", required=True),
        choice(Employment, "Категория работника", "category"),
        choice(Employment, "Место работы", "workplace"),
        choice(Person, "Образование", "education", person=True),
        date("Педагогический стаж с", "experience_since", required=True, person=True),
        date("Дата приема", "hired_on", required=True),
        date("Дата увольнения", "dismissed_on"),
        Column("Предметы", "subjects", rules.subjects, default="", person=True),
    ),
    key=("person", "school", "hired_on"),
    defines=Defines("person", "person"),
    row_rules=(rules.dates_in_order("hired_on", "dismissed_on"),),
    school_field="school",
    person_fields=("person",),
    admin_actions=frozenset({"create", "update"}),
)

COURSES = Sheet(
    name="Курсы",
    model=CourseCompletion,
    columns=(
        person(),
        choice(
            CourseCompletion,
            "Вид программы",
            "kind",
            aliases={
                "повышение квалификации": CourseCompletion.Kind.PK,
                "профессиональная переподготовка": CourseCompletion.Kind.PP,
            },
        ),
        text(CourseCompletion, "Программа", "programme", required=True),
        Column("Организация", "provider", _provider_key, True, ref="provider"),
        Column("Часы", "hours", rules.integer(1), True),
        choice(CourseCompletion, "Форма", "form", aliases={"дистанционная": DISTANCE}),
        yes_no(CourseCompletion, "ДОТ", "distance"),
        date("Дата окончания", "finished_on", required=True),
        text(CourseCompletion, "Номер документа", "document_number"),
        Column("Тематика", "topics", rules.topics, default=""),
        yes_no(CourseCompletion, "Педагогическая направленность", "pedagogical"),
        yes_no(CourseCompletion, "Федеральный реестр", "federal_register"),
    ),
    key=("person", "kind", "programme", "provider", "finished_on"),
    row_rules=(rules.course_hours,),
    normalise=_distance_form,
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("finished_on",),
)

ATTESTATIONS = Sheet(
    name="Аттестация",
    model=Attestation,
    columns=(
        person(),
        date("Дата", "date", required=True),
        choice(Attestation, "Результат", "result"),
        text(Attestation, "Приказ", "order_number"),
    ),
    key=("person", "date", "result"),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("date",),
)

CONTESTS = Sheet(
    name="Конкурсы",
    model=ContestParticipation,
    columns=(
        person(),
        text(ContestParticipation, "Конкурс", "name", required=True),
        choice(ContestParticipation, "Уровень", "level"),
        choice(ContestParticipation, "Результат", "result"),
        date("Дата", "date", required=True),
    ),
    key=("person", "name", "date"),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("date",),
)

MENTORSHIP = Sheet(
    name="Наставничество",
    model=MentorshipPair,
    columns=(
        person("СНИЛС наставника", "mentor"),
        person("СНИЛС наставляемого", "mentee"),
        date("Дата начала", "started_on", required=True),
        date("Дата окончания", "ended_on"),
    ),
    key=("mentor", "mentee", "started_on"),
    row_rules=(rules.distinct_mentor, rules.dates_in_order("started_on", "ended_on")),
    person_fields=("mentor", "mentee"),
    admin_actions=ALL_ACTIONS,
    dated_by=("started_on", "ended_on"),
)

_score = rules.integer(0, 100)

DIAGNOSTICS = Sheet(
    name="Диагностика",
    model=DeficitDiagnostic,
    columns=(
        person(),
        date("Дата", "date", required=True),
        text(DeficitDiagnostic, "Инструмент", "instrument", required=True),
        *(
            Column(str(DeficitDiagnostic._meta.get_field(c).verbose_name).capitalize(), c, _score)
            for c in DeficitDiagnostic.COMPONENTS
        ),
    ),
    key=("person", "date", "instrument"),
    row_rules=(rules.has_diagnostic_score,),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("date",),
)

ROUTES = Sheet(
    name="ИОМ",
    model=DevelopmentRoute,
    columns=(
        person(),
        date("Дата начала", "started_on", required=True),
        date("Дата окончания", "ended_on"),
        text(DevelopmentRoute, "Куратор", "curator"),
        text(DevelopmentRoute, "Тьютор", "tutor"),
        Column("Компоненты", "components", rules.components, default=""),
    ),
    key=("person", "started_on"),
    row_rules=(rules.dates_in_order("started_on", "ended_on"),),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("started_on", "ended_on"),
)

ROUTE_ACTIVITIES = Sheet(
    name="Мероприятия ИОМ",
    model=RouteActivity,
    columns=(
        person(),
        date("Дата начала ИОМ", "route_started_on", required=True),
        choice(RouteActivity, "Вид", "kind"),
        Column(
            "Тематика",
            "topic",
            rules.choice(CourseCompletion.Topic),
            default="",
            choices=CourseCompletion.Topic,
        ),
        text(RouteActivity, "Мероприятие", "title", required=True),
        text(RouteActivity, "Описание", "description"),
        date("Дата начала", "starts_on", required=True),
        date("Дата окончания", "ends_on"),
        Column(
            "Статус",
            "status",
            rules.choice(RouteActivity.Status),
            default=RouteActivity.Status.PLANNED,
            choices=RouteActivity.Status,
        ),
    ),
    key=("person", "route_started_on", "kind", "title", "starts_on"),
    row_rules=(rules.dates_in_order("starts_on", "ends_on"), rules.course_topic),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    # Not dated on its own (`dated_by`): a plan is entered with its route, which is.
    parent=Parent(
        ROUTES,
        "route",
        ("person", "route_started_on"),
        "route__",
        "ИОМ работника со СНИЛС {} с датой начала {}",
    ),
)

ACTIVITIES = Sheet(
    name="Деятельность",
    model=ProfessionalActivity,
    columns=(
        person(),
        choice(ProfessionalActivity, "Вид", "kind"),
        text(ProfessionalActivity, "Описание", "description", required=True),
        date("Дата", "date", required=True),
    ),
    key=("person", "kind", "description", "date"),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("date",),
)

BURNOUT = Sheet(
    name="Выгорание",
    model=BurnoutRecord,
    columns=(
        person(),
        date("Дата", "date", required=True),
        choice(BurnoutRecord, "Уровень", "level"),
    ),
    key=("person", "date"),
    person_fields=("person",),
    admin_actions=ALL_ACTIONS,
    dated_by=("date",),
)

VACANCIES = Sheet(
    name="Вакансии",
    model=Vacancy,
    columns=(
        school(),
        text(Vacancy, "Должность", "position", required=True),
        Column("Количество", "count", rules.integer(1), True),
        date("Дата открытия", "opened_on", required=True),
        date("Дата закрытия", "closed_on"),
    ),
    key=("school", "position", "opened_on"),
    row_rules=(rules.dates_in_order("opened_on", "closed_on"),),
    school_field="school",
    admin_actions=frozenset({"create"}),
    dated_by=("opened_on",),
)

STUDENT_RESULTS = Sheet(
    name="Результаты обучающихся",
    model=StudentResult,
    columns=(
        school(),
        Column(
            "Учебный год",
            "year",
            rules.academic_year,
            True,
            written=academic_year_label,
        ),
        choice(StudentResult, "Процедура", "procedure"),
        choice(StudentResult, "Предмет", "subject", choices=Subject),
        Column("Параллель", "grade", rules.integer(1, 11), True),
        Column("Участников", "participants", rules.integer(1), True),
        Column("Не справились", "failed", rules.integer(0), True),
        Column("Средний балл", "average_score", _decimal(StudentResult, "average_score")),
    ),
    key=("school", "year", "procedure", "subject", "grade"),
    row_rules=(rules.failed_within_participants,),
    school_field="school",
    admin_actions=ALL_ACTIONS,
    school_history=True,
)

# In the order of the format: referenced sheets before the sheets referring to them.
SHEETS: tuple[Sheet, ...] = (
    SCHOOLS,
    PROVIDERS,
    STAFF,
    COURSES,
    ATTESTATIONS,
    CONTESTS,
    MENTORSHIP,
    DIAGNOSTICS,
    ROUTES,
    ROUTE_ACTIVITIES,
    ACTIVITIES,
    BURNOUT,
    VACANCIES,
    STUDENT_RESULTS,
)
REQUIRED_SHEET = SCHOOLS
DEFINED_BY = {s.defines.reference: s for s in SHEETS if s.defines}  # reference → its sheet
