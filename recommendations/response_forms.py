"""The school's answer to one finding of its letter, and the term a methodologist sets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from profdev.models import DevelopmentRoute
from recommendations.responses import Answer, ResponseLink, ResponseRow

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATE_INPUT = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "ДД.ММ.ГГГГ"})
DATE_ERRORS = {"invalid": _("Дата не распознана: нужна дата в виде ДД.ММ.ГГГГ.")}


class AnswerForm(forms.Form):
    """Left empty, the finding stays unanswered; a date without words (or words without a
    date) is refused."""

    done = forms.CharField(
        label=_("Что сделано"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    done_on = forms.DateField(
        label=_("Когда"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
    )
    routes = forms.TypedMultipleChoiceField(
        label=_("ИОМ работников"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("ИОМ № %(value)s не относится к работникам ОО.")},
    )

    def __init__(
        self,
        *args,
        row: ResponseRow,
        routes: dict[int, DevelopmentRoute],
        route_labels: list[tuple[int, str]],
        links: dict[str, ResponseLink],
        link_choices: dict[str, list[tuple[int, str]]],
        **kwargs,
    ):
        response = row.response
        if response is not None:
            kwargs["initial"] = {
                "done": response.done,
                "done_on": response.done_on,
                "routes": [r.pk for r in response.routes.all()],
                **{name: [pk for pk, _ in records] for name, records in row.linked.items()},
            }
        super().__init__(*args, prefix=row.code, **kwargs)
        self.row, self.routes = row, routes
        self.fields["routes"].choices = route_labels
        self.link_names = list(links)
        for name, link in links.items():
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=link.label,
                coerce=int,
                required=False,
                choices=link_choices[name],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("%(value)s — нет среди доступных для выбора.")},
            )

    def clean(self):
        data = super().clean()
        done, done_on = data.get("done", "").strip(), data.get("done_on")
        chosen = data.get("routes") or any(data.get(name) for name in self.link_names)
        if (done_on or chosen) and not done:
            self.add_error("done", _("Опишите, что сделано."))
        if done and done_on is None and "done_on" not in self.errors:
            self.add_error("done_on", _("Укажите дату: когда это сделано."))
        data["done"] = done
        return data

    def answer(self) -> Answer | None:
        data = self.cleaned_data
        if not data["done"]:
            return None
        return Answer(
            code=self.row.code,
            done=data["done"],
            done_on=data["done_on"],
            routes=[self.routes[pk] for pk in data["routes"]],
            links={name: data[name] for name in self.link_names},
        )


class ResponseTermForm(forms.Form):
    due = forms.DateField(
        label=_("Ответ ОО — до"),
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"required": _("Укажите срок ответа."), **DATE_ERRORS},
    )
