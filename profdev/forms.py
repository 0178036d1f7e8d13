"""Forms of the school workspace."""

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.models import Employment
from profdev.selectors import STAFF_ORDERINGS, StaffQuery

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
            sort=data.get("sort") or "name",
            descending=data.get("desc", False),
        )
