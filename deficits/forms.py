from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deficits.models import CourseOrderLine
from effectiveness.models import Measure
from monitoring.deficits import COMPONENTS
from monitoring.models import COMPONENT_CHOICES
from profdev.models import CourseCompletion, District, Provider, School


class GroupFilterForm(forms.Form):
    """The target groups' filters, from the query string; a value out of place is ignored."""

    school = forms.ChoiceField(required=False, label=_("ОО"))
    component = forms.ChoiceField(
        required=False, label=_("компонент"), choices=[("", "все"), *COMPONENT_CHOICES]
    )

    def __init__(self, *args, schools: list[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {s.code: s for s in schools}
        self.fields["school"].choices = [("", "все")] + [(s.code, s.short_name) for s in schools]
        for name in ("school", "component"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def options(self) -> dict:
        """Keyword arguments of `deficits.selectors.groups`."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "school": self.schools.get(data.get("school", "")),
            "component": data.get("component", ""),
        }


class RoutesForm(forms.Form):
    """Routes (ИОМ) for the people ticked in a target group."""

    person = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Отметьте работников, для которых создать ИОМ."),
            "invalid_choice": _("Отмеченного работника нет в целевой группе: обновите страницу."),
        },
    )
    started_on = forms.DateField(
        label=_("дата начала ИОМ"),
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"class": "form-control form-control-sm"}),
        error_messages={
            "required": _("Укажите дату начала ИОМ."),
            "invalid": _("Дата начала ИОМ: введите дату в виде ДД.ММ.ГГГГ."),
        },
    )
    curator = forms.CharField(
        label=_("куратор"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, members: list[int], **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Read when a form is checked, not when the page is shown (thousands of people).
        self.fields["person"].choices = lambda: [(pk, pk) for pk in members]


class TopicsForm(forms.Form):
    """The topics that address each component: one set of checkboxes per component."""

    def __init__(self, *args, mapping: dict[str, frozenset[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for c, label in COMPONENT_CHOICES:
            self.fields[c] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=CourseCompletion.Topic.choices,
                widget=forms.CheckboxSelectMultiple,
                initial=sorted(mapping[c]),
                error_messages={"invalid_choice": _("Такой тематики нет: %(value)s.")},
            )

    def topics(self) -> dict[str, list[str]]:
        return {c: self.cleaned_data[c] for c in COMPONENTS}


class OrderLineForm(forms.ModelForm):
    """A line of the course order as the methodologist settles it."""

    class Meta:
        model = CourseOrderLine
        fields = ["provider", "programme", "form", "hours", "number"]
        error_messages = {
            "number": {
                "required": _("Укажите число мест."),
                "invalid": _("Число мест — целое неотрицательное число."),
                "min_value": _("Число мест — целое неотрицательное число."),
            },
            "hours": {
                "invalid": _("Часы — целое число."),
                "min_value": _("Программа повышения квалификации — не менее 16 часов."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.order_by("name")
        self.fields["provider"].empty_label = "не выбрана"
        self.fields["provider"].error_messages["invalid_choice"] = _(
            "Такой организации нет: выберите из списка."
        )
        self.fields["form"].choices = [("", "не выбрана"), *CourseCompletion.Form.choices]
        for name, field in self.fields.items():
            kind = "form-select" if name in ("provider", "form") else "form-control"
            field.widget.attrs["class"] = f"{kind} form-control-sm"


class EnrolForm(forms.Form):
    """The people ticked in a target group, enrolled in a planned measure of the district."""

    person = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Отметьте работников, которых записать на мероприятие."),
            "invalid_choice": _("Отмеченного работника нет в целевой группе: обновите страницу."),
        },
    )
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(),
        label=_("мероприятие"),
        empty_label="выберите мероприятие",
        error_messages={
            "required": _("Выберите мероприятие, на которое записать работников."),
            "invalid_choice": _("Такого запланированного мероприятия нет: выберите из списка."),
        },
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, members: list[int], district: District, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when a form is checked, not when the page is shown (thousands of people).
        self.fields["person"].choices = lambda: [(pk, pk) for pk in members]
        # Planned: dated after today.
        self.fields["measure"].queryset = Measure.objects.filter(
            district=district, date__gt=timezone.localdate()
        ).order_by("date", "title")
