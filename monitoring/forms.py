from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator, MonitoringYear
from profdev.facts import Period, PeriodError
from profdev.sorting import Direction


class OverviewForm(forms.Form):
    """The overview's group filter, change column and sorting, from its query string; a
    value out of place is ignored."""

    group = forms.CharField(required=False, strip=False)
    delta = forms.ChoiceField(required=False, choices=[("1", "1")])
    sort = forms.CharField(required=False, strip=False)
    order = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])
    DIRECTION = Direction("order", descending="desc", ascending="asc")

    def options(self) -> dict:
        """Keyword arguments of `monitoring.tables.overview`."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "group": data.get("group", ""),
            "delta": data.get("delta") == "1",
            "sort": data.get("sort", ""),
            "descending": data.get("order") == "desc",
        }


class TargetForm(forms.Form):
    """A new target for one indicator; the value's rules are `services.set_target`'s."""

    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(default_target__isnull=False),
        to_field_name="code",
        label=_("показатель"),
        error_messages={"invalid_choice": _("Такого показателя с целевым значением нет.")},
    )
    value = forms.CharField(
        label=_("целевое значение"),
        max_length=20,
        error_messages={"required": _("Укажите целевое значение.")},
    )


class BasisForm(forms.Form):
    """The order the year's monitoring is carried out under."""

    basis_number = forms.CharField(label=_("номер приказа"), max_length=50)
    basis_date = forms.DateField(
        label=_("дата приказа"),
        widget=forms.DateInput(format="%d.%m.%Y"),
        help_text=_("ДД.ММ.ГГГГ"),
        error_messages={"invalid": _("Дата приказа: введите дату в виде ДД.ММ.ГГГГ.")},
    )
    basis_body = forms.CharField(label=_("кем издан"), max_length=255)

    @classmethod
    def of(cls, monitoring_year: MonitoringYear | None) -> "BasisForm":
        """The form holding the basis as stored."""
        if monitoring_year is None:
            return cls()
        return cls(initial={name: getattr(monitoring_year, name) for name in cls.base_fields})


class ComputeForm(forms.Form):
    """The reference date of an official computation: within the academic year Y/Y+1."""

    reference_date = forms.DateField(
        label=_("дата среза"),
        widget=forms.DateInput(format="%d.%m.%Y"),
        help_text=_("ДД.ММ.ГГГГ; по умолчанию 31.08 следующего календарного года"),
        error_messages={"invalid": _("Дата среза: введите дату в виде ДД.ММ.ГГГГ.")},
    )

    @classmethod
    def of(cls, year: int, monitoring_year: MonitoringYear | None) -> "ComputeForm":
        """The form holding the stored reference date, else the year's default one."""
        day = monitoring_year.reference_date if monitoring_year else Period.of(year).reference_date
        return cls(year=year, initial={"reference_date": day})

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_reference_date(self):
        reference_date = self.cleaned_data["reference_date"]
        try:
            Period.of(self.year, reference_date)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        return reference_date


class ProblemLimitsForm(forms.Form):
    """The district's limits of a problem field for a year; the values' rules are
    `services.set_problem_limits`'."""

    threshold = forms.CharField(
        label=_("порог доли не справившихся, %"),
        max_length=20,
        error_messages={"required": _("Укажите порог доли.")},
    )
    margin = forms.CharField(
        label=_("превышение доли муниципалитета, п. п."),
        max_length=20,
        error_messages={"required": _("Укажите превышение доли муниципалитета.")},
    )
