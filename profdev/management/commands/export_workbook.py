from django.core.management.base import BaseCommand, CommandError

from profdev.audit import log_export
from profdev.models import School
from profdev.workbook.exporter import export_workbook


class Command(BaseCommand):
    help = "Выгрузить данные в книгу .xlsx в формате workbook.md."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--school", help="код ОО: выгрузить только её данные")

    def handle(self, *args, **options):
        schools = None
        if options["school"]:
            schools = School.objects.filter(code=options["school"])
            if not schools.exists():
                raise CommandError(f"ОО с кодом «{options['school']}» нет.")
        export_workbook(options["file"], schools=schools)
        school = schools.get() if schools is not None else None
        log_export(None, f"книга {'ОО' if school else 'муниципалитета'} (.xlsx)", school=school)
        self.stdout.write(f"Книга записана: {options['file']}")
