from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator
from profdev.facts import Period, PeriodError


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


class ComputeForm(forms.Form):
    """The reference date of an official computation: within the academic year Y/Y+1."""

    reference_date = forms.DateField(
        label=_("дата среза"),
        widget=forms.DateInput(format="%d.%m.%Y"),
        help_text=_("ДД.ММ.ГГГГ; по умолчанию 31.08 следующего календарного года"),
        error_messages={"invalid": _("Дата среза: введите дату в виде ДД.ММ.ГГГГ.")},
    )

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
