"""The measure form and the list's filters; choices limited to the user's district."""

from itertools import groupby
from operator import attrgetter

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from effectiveness.models import Measure
from monitoring.models import Indicator
from monitoring.tables import catalogue
from profdev.facts import academic_year_label
from profdev.models import District, School
from profdev.text import natural_key
from recommendations.models import Letter, RecommendationRule

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # the date picker


class NaturalOrder(ModelChoiceIterator):
    """Schools in the order people expect: «СОШ № 2» before «СОШ № 10»."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for school in sorted(self.queryset, key=lambda s: natural_key(s.short_name)):
            yield self.choice(school)


class SchoolField(forms.ModelChoiceField):
    iterator = NaturalOrder


class SchoolsField(forms.ModelMultipleChoiceField):
    iterator = NaturalOrder
    default_error_messages = {
        "invalid_choice": _(
            "ОО «%(value)s» нет среди ОО вашего муниципалитета: выбрать её нельзя."
        ),
        "invalid_pk_value": _("«%(pk)s» — не номер ОО."),
    }


class MeasureForm(forms.ModelForm):
    date = forms.DateField(
        label=_("Дата"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=DATE_INPUT,
        error_messages={
            "required": _("Укажите дату мероприятия."),
            "invalid": _("Дата не распознана: нужна дата в виде ДД.ММ.ГГГГ."),
        },
    )
    participants = forms.IntegerField(
        label=_("Участников без поимённого списка"),
        initial=0,
        help_text=_(
            "Сколько участников не названы поимённо; названные (из целевой группы) считаются "
            "сверх этого числа."
        ),
        error_messages={
            "required": _("Укажите число участников (0, если не считали)."),
            "invalid": _("Число участников — целое число."),
        },
    )
    schools = SchoolsField(
        label=_("ОО"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Пусто — мероприятие для всех ОО муниципалитета."),
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "date",
            "kind",
            "responsible",
            "indicators",
            "schools",
            "participants",
            "note",
            "letter",
            "rule",
        ]
        error_messages = {
            "title": {"required": _("Укажите название мероприятия.")},
            "kind": {"required": _("Выберите вид мероприятия.")},
        }
        widgets = {
            "indicators": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(district=district).order_by("code")
        self.fields["indicators"].queryset = Indicator.objects.all()
        # Checkboxes under the catalogue's groups, by name.
        self.fields["indicators"].choices = [
            (group, [(i.pk, i.name) for i in members])
            for group, members in groupby(catalogue(), key=attrgetter("group"))
        ]
        self.fields["letter"].queryset = (
            Letter.objects.filter(
                monitoring_year__district=district,
                kind__in=Letter.MONITORING,
                status=Letter.State.SIGNED,
            )
            .select_related("school", "monitoring_year")
            .defer(*Letter.HEAVY)
        )
        self.fields["rule"].queryset = RecommendationRule.objects.filter(
            active=True
        ).select_related("indicator")
        self.fields["rule"].label_from_instance = lambda r: f"{r.indicator.name}: {r.text[:80]}"

    def clean_participants(self) -> int:
        value = self.cleaned_data["participants"]
        if value < 0:
            raise forms.ValidationError(
                _("Число участников не может быть отрицательным: указано %(value)s."),
                params={"value": value},
            )
        return value


class MeasureFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Вид"), choices=[("", _("все виды")), *Measure.Kind.choices], required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("Показатель"),
        queryset=Indicator.objects.all(),
        required=False,
        empty_label=_("все показатели"),
    )
    school = SchoolField(
        label=_("ОО"), queryset=School.objects.none(), required=False, empty_label=_("все ОО")
    )

    def __init__(self, *args, district: District, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("все годы"))] + [
            (y, academic_year_label(y)) for y in years
        ]
        self.fields["school"].queryset = School.objects.filter(district=district).order_by("code")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


TEXT_HELP = _(
    "Простой текст: каждый абзац — с новой строки; строка, начинающаяся с тире «—», — пункт "
    "списка. Разметка не нужна: документ печатает текст как он введён."
)


class AnalyticalReportForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Выводы"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=TEXT_HELP,
        error_messages={
            "required": _("Выводы не могут быть пустыми: справка без них не выпускается.")
        },
    )
    recommendations = forms.CharField(
        label=_("Рекомендации"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=TEXT_HELP,
        error_messages={
            "required": _("Рекомендации не могут быть пустыми: справка без них не выпускается.")
        },
    )
