"""The form of a school's students' results of one academic year: one table, one row per
procedure, subject and grade (the sheet «Результаты обучающихся» without the school and the
year, which are the page's)."""

from django import forms

from profdev.forms import BaseRowsFormSet, SheetForm
from profdev.models import StudentResult
from profdev.workbook import sheets

SHEET = sheets.STUDENT_RESULTS
PAGE_FIELDS = ("school", "year")
RESULT_COLUMNS = tuple(c for c in SHEET.columns if c.field not in PAGE_FIELDS)
ADDED_ROWS = 5  # empty rows the table offers, and adds at «Добавить строки»


def result_initial(result: StudentResult) -> dict:
    return {"id": result.pk, **{c.field: getattr(result, c.field) for c in RESULT_COLUMNS}}


class ResultForm(SheetForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, initial=None, **kwargs):
        super().__init__(
            data, columns=RESULT_COLUMNS, row_rules=SHEET.row_rules, initial=initial, **kwargs
        )
        if initial:
            self.initial["id"] = initial["id"]
        for field in self.fields.values():  # a row of the table: the header names the column
            widget = field.widget
            widget.attrs["aria-label"] = str(field.label).rstrip(" *")
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif isinstance(widget, forms.TextInput):
                widget.attrs["class"] = "form-control form-control-sm"
                widget.attrs["inputmode"] = "decimal"


class BaseResultFormSet(BaseRowsFormSet):
    key = ("procedure", "subject", "grade")
    repeated = "такая строка уже есть: совпадают процедура, предмет и параллель"
    delete_label = "Удалить строку"
    gone = "строка уже удалена или изменена: откройте результаты заново"
    initial_of = staticmethod(result_initial)


ResultFormSet = forms.formset_factory(
    ResultForm, formset=BaseResultFormSet, extra=ADDED_ROWS, can_delete=True
)
