import io
from pathlib import Path

from profdev.models import ChangeRecord, Employment, Person
from profdev.workbook.exporter import export_workbook
from profdev.workbook.importer import import_workbook

EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "examples" / "district-small.xlsx"


def test_example_imports(district):
    analysis = import_workbook(EXAMPLE)
    assert analysis.errors == []
    print(Person.objects.count(), Employment.objects.count(), ChangeRecord.objects.count())
    again = import_workbook(EXAMPLE)
    for e in again.errors[:20]:
        print(e)
    print(again.counts)
    buffer = io.BytesIO()
    export_workbook(buffer)
    third = import_workbook(io.BytesIO(buffer.getvalue()))
    for e in third.errors[:20]:
        print(e)
    print(third.counts, third.warnings)
