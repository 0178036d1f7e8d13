"""Forms of the school workspace."""

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from profdev.completeness import PERSON_GAPS
from profdev.models import Employment, Person, Provider, RouteActivity
from profdev.providers import choice_label, for_name
from profdev.selectors import STAFF_ORDERINGS, StaffQuery
from profdev.workbook import rules, sheets

ANY = [("", _("все"))]


class StaffFilterForm(forms.Form):
    """The staff list's search, filters and sorting (a GET form: bad values fall back)."""

    q = forms.CharField(label=_("Поиск по ФИО"), required=False, max_length=100)
    position = forms.ChoiceField(label=_("Должность"), required=False)
    category = forms.ChoiceField(
        label=_("Категория"), required=False, choices=ANY + Employment.Category.choices
    )
    workplace = forms.ChoiceField(
        label=_("Место работы"), required=False, choices=ANY + Employment.Workplace.choices
    )
    status = forms.ChoiceField(
        label=_("Статус на сегодня"),
        required=False,
        initial="active",
        choices=[
            ("active", _("работают")),
            ("dismissed", _("уволены")),
            ("all", _("все")),
        ],
    )
    young = forms.BooleanField(
        label=_("Молодые педагоги (до 35 лет, стаж до 3 лет)"), required=False
    )
    no_courses = forms.BooleanField(label=_("Без ПК/ПП за три года"), required=False)
    gap = forms.ChoiceField(
        label=_("Пробел в данных"),
        required=False,
        choices=ANY + [(gap.key, gap.label) for gap in PERSON_GAPS],
    )
    sort = forms.ChoiceField(
        required=False, choices=[(k, k) for k in STAFF_ORDERINGS], widget=forms.HiddenInput
    )
    desc = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, positions: list[str]):
        if "status" not in data:  # a first visit lists the staff working today
            data = data.copy()
            data["status"] = "active"
        super().__init__(data)
        self.fields["position"].choices = ANY + [(p, p) for p in positions]

    def staff_query(self) -> StaffQuery:
        """The query the form asks for; an invalid field is ignored, the rest still apply."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return StaffQuery(
            search=data.get("q", ""),
            position=data.get("position", ""),
            category=data.get("category", ""),
            workplace=data.get("workplace", ""),
            status=data.get("status") if data.get("status") in ("active", "dismissed") else "",
            young=data.get("young", False),
            no_courses=data.get("no_courses", False),
            gap=data.get("gap", ""),
            sort=data.get("sort") or "name",
            descending=data.get("desc", False),
        )


# --- data entry ------------------------------------------------------------------------
#
# The forms are built from the workbook's sheet specs: each raw value goes through the
# column's parser and the record through the sheet's row rules, so whatever the importer
# refuses is refused here, with the same Russian message, next to the field.

SNILS = sheets.Column("СНИЛС", "snils", rules.snils, required=True)


def _date_text(value) -> str:
    """A date as the browser's date picker holds it (the parser reads ДД.ММ.ГГГГ too)."""
    return f"{value:%Y-%m-%d}" if value else ""


class SheetForm(forms.Form):
    """A row of a workbook sheet as a form; `record` holds the clean values after validation.

    `refs` gives the queryset each reference column chooses from (persons, schools,
    providers: already limited to the user's scope). Every field is optional for Django;
    `clean` applies the importer's «обязательное поле не заполнено» itself.
    """

    required_css_class = "required"

    def __init__(
        self,
        data=None,
        *,
        columns,
        refs=None,
        row_rules=(),
        normalise=None,
        initial=None,
        **kwargs,  # of forms.Form: a formset's prefix and the like
    ):
        self.columns = columns
        self.row_rules = row_rules
        self.normalise = normalise
        super().__init__(data, initial=self._initial(initial or {}), **kwargs)
        for column in columns:
            field = self._field(column, (refs or {}).get(column.field))
            field.required = False
            if column.required:
                # A date picker may not carry aria-required; `required` says the same (the
                # forms are `novalidate`: the server checks, with its Russian message).
                if isinstance(field.widget, forms.DateInput):
                    field.widget.attrs["required"] = True
                else:
                    field.widget.attrs["aria-required"] = "true"
                field.label = f"{field.label} *"
            self.fields[column.field] = field
        self.record: dict = {}

    def _initial(self, record: dict) -> dict:
        initial = {}
        for column in self.columns:
            if column.field not in record:
                if column.parse is rules.yes_no:  # a new record starts from the defaults
                    initial[column.field] = column.default
                continue
            value = record[column.field]
            if column.choices is not None:
                value = column.choices(value).label if value else ""
            elif column.parse is rules.date_value:
                value = _date_text(value)
            elif isinstance(column.parse, rules.Several):
                value = column.parse.labels(value)
            elif column.ref is None and value is None:
                value = ""
            initial[column.field] = value
        return initial

    @staticmethod
    def _field(column, queryset) -> forms.Field:
        label = column.header
        if column.ref is not None:
            if column.ref == "school":  # the form chooses the school by name, not by code
                label = Employment._meta.get_field("school").verbose_name
            return forms.ModelChoiceField(queryset=queryset, label=label, empty_label="—")
        if column.choices is not None:
            options = [("", "—"), *((str(v), str(v)) for v in column.choices.labels)]
            return forms.CharField(label=label, widget=forms.Select(choices=options))
        if column.parse is rules.yes_no:
            return forms.BooleanField(label=label)
        if isinstance(column.parse, rules.Several):
            return forms.MultipleChoiceField(
                label=label,
                choices=[(str(v), str(v)) for v in column.parse.choices.labels],
                widget=forms.CheckboxSelectMultiple,
            )
        if column.parse is rules.date_value:
            return forms.CharField(label=label, widget=forms.DateInput(attrs={"type": "date"}))
        return forms.CharField(label=label)

    def clean(self):
        record = {}
        for column in self.columns:
            name = column.field
            if name in self.errors:
                continue
            raw = self.cleaned_data.get(name)
            if isinstance(column.parse, rules.Several):
                raw = "; ".join(raw or [])
            if column.ref is not None or column.parse is rules.yes_no:
                if raw is None and column.required:
                    self.add_error(name, rules.REQUIRED)
                record[name] = raw
            elif rules.is_blank(raw):
                if column.required:
                    self.add_error(name, rules.REQUIRED)
                else:
                    record[name] = column.default
            else:
                value, message = rules.validate(column.parse, raw)
                if message:
                    self.add_error(name, message)
                else:
                    record[name] = value
        self.record = record  # with errors, the values that did parse (for further checks)
        if self.errors:
            return self.cleaned_data
        if self.normalise:
            self.normalise(record)
        for rule in self.row_rules:
            for name, message in rule(record):
                self.add_error(name if name in self.fields else None, message)
        return self.cleaned_data


class RecordForm(SheetForm):
    """A record of a person (or an employment) on the teacher's card.

    `fixed` holds the values the page decides (the card's person); the record's natural
    key must be free, and a main employment must not overlap another (as in the importer).
    `initial`: the values a new record starts from.
    """

    def __init__(self, data=None, *, sheet, fixed, instance=None, refs=None, initial=None):
        self.sheet = sheet
        self.fixed = fixed
        self.instance = instance
        columns = tuple(c for c in sheet.columns if c.field not in fixed and not c.person)
        if instance:
            initial = {c.field: getattr(instance, c.field) for c in columns}
        super().__init__(
            data,
            columns=columns,
            refs=refs,
            row_rules=sheet.row_rules,
            normalise=sheet.normalise,
            initial=initial,
        )

    def clean(self):
        super().clean()
        if self.errors:
            return self.cleaned_data
        self.record = {**self.fixed, **self.record}
        others = self.sheet.model.objects.exclude(pk=self.instance.pk if self.instance else None)
        if self._key_taken(others):
            field = next(f for f in self.sheet.key if f in self.fields)
            self.add_error(field, "такая запись уже есть: совпадают " + self._key_headers())
        if self.sheet is sheets.STAFF:
            self._check_overlap(others)
        return self.cleaned_data

    def _key_taken(self, others) -> bool:
        return others.filter(**{f: self.record[f] for f in self.sheet.key}).exists()

    def _key_headers(self) -> str:
        return ", ".join(f"«{self.sheet.header_of(f)}»" for f in self.sheet.key_inputs)

    def _check_overlap(self, others) -> None:
        record = self.record
        if record["workplace"] != Employment.Workplace.MAIN:
            return
        # Another school's employment is not named (as in the importer).
        named = self.fields["school"].queryset
        periods = [
            (e.hired_on, e.dismissed_on, f"ОО «{e.school.short_name}»" if e.named else "")
            for e in others.filter(person=record["person"], workplace=Employment.Workplace.MAIN)
            .select_related("school")
            .annotate(named=Exists(named.filter(pk=OuterRef("school_id"))))
        ]
        overlap = rules.find_overlap(record["hired_on"], record["dismissed_on"], periods)
        if overlap:
            self.add_error("hired_on", rules.overlap_message(*overlap))


class CourseForm(RecordForm):
    """A course: its provider chosen among `providers` or typed in when it is not listed
    (`profdev.providers`: an unlisted name becomes the school's proposal on saving, so
    `record["provider"]` may be unsaved until `providers.propose`)."""

    def __init__(self, data=None, *, providers, instance=None, fixed):
        super().__init__(
            data, sheet=sheets.COURSES, fixed=fixed, instance=instance, refs={"provider": providers}
        )
        self.fields["provider"].label_from_instance = choice_label
        self.fields["provider"].help_text = _("Нет в списке — впишите в поле ниже.")
        new = forms.CharField(
            label=_("Новая организация (если её нет в списке)"),
            required=False,
            max_length=Provider._meta.get_field("name").max_length,
            help_text=_(
                "Будет предложена методисту; пока он не подтвердит её, она видна только вашей ОО."
            ),
        )
        fields = list(self.fields.items())
        at = next(i for i, (name, _field) in enumerate(fields) if name == "provider") + 1
        self.fields = dict([*fields[:at], ("new_provider", new), *fields[at:]])

    def clean(self):
        name = " ".join((self.cleaned_data.get("new_provider") or "").split())
        if name:
            if self.cleaned_data.get("provider") is not None:
                self.add_error(
                    "new_provider", "выберите организацию из списка или впишите новую, не обе"
                )
            else:
                self.cleaned_data["provider"] = for_name(name, self.fields["provider"].queryset)
        return super().clean()

    def _key_taken(self, others) -> bool:
        return self.record["provider"].pk is not None and super()._key_taken(others)


PERSON_COLUMNS = tuple(c for c in sheets.STAFF.columns if c.person)


class PersonForm(SheetForm):
    """A person's own fields; `version` is the one the form was opened with (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, instance: Person):
        self.instance = instance
        columns = (SNILS, *PERSON_COLUMNS)
        initial = {c.field: getattr(instance, c.field) for c in columns}
        super().__init__(data, columns=columns, initial=initial)
        self.initial["version"] = instance.version

    def clean(self):
        super().clean()
        snils = self.record.get("snils")
        if snils and Person.objects.filter(snils=snils).exclude(pk=self.instance.pk).exists():
            self.add_error("snils", "работник с таким СНИЛС уже есть в системе")
        return self.cleaned_data


class TeacherForm(SheetForm):
    """A new person with their first employment: the sheet «Педагоги» without the stored past."""

    def __init__(self, data=None, *, schools, initial_school=None):
        columns = tuple(SNILS if c.ref == "person" else c for c in sheets.STAFF.columns)
        super().__init__(
            data,
            columns=columns,
            refs={"school": schools},
            row_rules=sheets.STAFF.row_rules,
            initial={"school": initial_school} if initial_school else None,
        )

    def clean(self):
        super().clean()
        snils = self.record.get("snils")
        if snils and Person.objects.filter(snils=snils).exists():
            self.add_error(
                "snils",
                "работник с таким СНИЛС уже есть в системе: добавьте ему трудоустройство "
                "в его карточке или загрузкой книги",
            )
        return self.cleaned_data


# --- a route's activities ------------------------------------------------------------------

ACTIVITY_COLUMNS = tuple(
    c
    for c in sheets.ROUTE_ACTIVITIES.columns
    if c.field not in sheets.ROUTE_ACTIVITIES.parent.fields
)


def activity_initial(activity: RouteActivity) -> dict:
    return {
        "id": activity.pk,
        "course": activity.course_id,
        **{c.field: getattr(activity, c.field) for c in ACTIVITY_COLUMNS},
    }


class ActivityForm(SheetForm):
    """An activity of a route: a row of the sheet «Мероприятия ИОМ» (the route is the page's)
    and the course record it became, chosen among the person's `courses`."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, courses, initial=None, **kwargs):
        super().__init__(
            data,
            columns=ACTIVITY_COLUMNS,
            row_rules=sheets.ROUTE_ACTIVITIES.row_rules,
            initial=initial,
            **kwargs,
        )
        self.fields["course"] = forms.ModelChoiceField(
            courses,
            required=False,
            label=RouteActivity._meta.get_field("course").verbose_name,
            empty_label="—",
        )
        if initial:
            self.initial.update(id=initial["id"], course=initial["course"])
        for field in self.fields.values():  # a row of the activities' table
            widget = field.widget
            # The table's header names the column; each field names itself to a screen reader.
            widget.attrs["aria-label"] = str(field.label).rstrip(" *")
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif isinstance(widget, forms.TextInput):
                widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        super().clean()
        course = self.cleaned_data.get("course")
        done_course = (
            self.record.get("kind") == RouteActivity.Kind.COURSE
            and self.record.get("status") == RouteActivity.Status.DONE
        )
        if course is not None and not done_course:
            self.add_error("course", "пройденную программу указывают только у выполненного курса")
        self.record["course"] = course
        return self.cleaned_data


class BaseRowsFormSet(forms.BaseFormSet):
    """Stored records as the rows of a table on one page (a route's activities, a school's
    results of a year): the stored ones, then empty rows for new ones; a row marked «Удалить»
    goes. Subclasses say how a record starts its row (`initial_of`), which fields may not
    repeat among the rows (`key`: the error goes on `key[-1]` with `repeated`) and how the
    delete box names itself. `changes` lists what to write."""

    key: tuple[str, ...] = ()
    repeated = ""
    delete_label = ""
    gone = "запись уже удалена или изменена: откройте страницу заново"

    def __init__(self, data=None, *, records, **kwargs):
        self.stored = {r.pk: r for r in records}
        super().__init__(data, initial=[self.initial_of(r) for r in records], **kwargs)

    @staticmethod
    def initial_of(record) -> dict:
        raise NotImplementedError

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # the row's «Удалить» box names itself too
            form.fields["DELETE"].widget.attrs["aria-label"] = self.delete_label

    def _kept(self):
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form)
            if (form.has_changed() or form.cleaned_data.get("id") is not None) and not deleted:
                yield form

    def clean(self):
        if any(self.errors):
            return
        for form in self.forms:
            pk = form.cleaned_data.get("id")
            if pk is not None and pk not in self.stored:
                raise forms.ValidationError(self.gone)
        seen = set()
        for form in self._kept():
            values = tuple(form.record[f] for f in self.key)
            if values in seen:
                form.add_error(self.key[-1], self.repeated)
            seen.add(values)

    def changes(self) -> list[tuple[Any, dict | None]]:
        """(stored record or None for a new one, its values or None to delete it)."""
        result = []
        for form in self.forms:
            pk = form.cleaned_data.get("id")
            stored = self.stored.get(pk) if pk is not None else None
            if self.can_delete and self._should_delete_form(form):
                if stored is not None:
                    result.append((stored, None))
            elif stored is not None or form.has_changed():
                result.append((stored, form.record))
        return result


class BaseActivityFormSet(BaseRowsFormSet):
    """The activities of a route (or of a new one) on its page."""

    key = ("kind", "starts_on", "title")
    repeated = "такое мероприятие уже есть в маршруте: совпадают вид, мероприятие и дата начала"
    delete_label = "Удалить мероприятие"
    gone = "мероприятие уже удалено или изменено: откройте маршрут заново"
    initial_of = staticmethod(activity_initial)


ActivityFormSet = forms.formset_factory(
    ActivityForm, formset=BaseActivityFormSet, extra=2, can_delete=True
)
