from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator
from profdev.models import Organisation
from recommendations.models import OutgoingRegister, RecommendationRule


class LetterBodyForm(forms.Form):
    body = forms.CharField(
        label=_("Текст письма"),
        widget=forms.Textarea(
            attrs={
                "rows": 24,
                "class": "form-control font-monospace",
                "data-letter-editor": "",
                "aria-describedby": "letter-textarea-help",
            }
        ),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Что доработать"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RuleForm(forms.ModelForm):
    indicator = forms.ModelChoiceField(
        label=_("Показатель"), queryset=Indicator.objects.order_by("order"), empty_label=None
    )

    class Meta:
        model = RecommendationRule
        fields = ["indicator", "trigger", "audience", "text", "active", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "trigger": _("Когда срабатывает"),
            "audience": _("Кому адресовано"),
            "text": _("Текст рекомендации"),
            "active": _("Действует"),
            "order": _("Порядок в письме"),
        }
        help_texts = {
            "trigger": _(
                "Красный — показатель за пределами допуска; жёлтый — в пределах допуска, "
                "но целевое значение не достигнуто."
            ),
            "order": _("Правила одного показателя идут в письме по возрастанию этого числа."),
        }


class RegisterForm(forms.ModelForm):
    # An office's outgoing letters in a year stay far below a million.
    next_number = forms.IntegerField(label=_("Следующий номер"), min_value=1, max_value=999_999)

    class Meta:
        model = OutgoingRegister
        fields = ["number_format", "next_number"]


class RequisitesForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "parent_body",
            "name_genitive",
            "name_dative",
            "address",
            "phone",
            "email",
            "okpo",
            "ogrn",
            "inn",
            "kpp",
            "head_position",
            "head_name",
        ]
