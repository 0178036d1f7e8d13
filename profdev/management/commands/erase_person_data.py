from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst

from profdev.privacy import UnknownPerson, erase_person, erasure_plan, person_by_snils


class Command(BaseCommand):
    help = (
        "Удалить работника и все его записи по запросу (152-ФЗ). Без --confirm только "
        "показывает, что будет удалено. Подписанные письма не изменяются."
    )

    def add_arguments(self, parser):
        parser.add_argument("--snils", required=True, help="СНИЛС в любом написании")
        parser.add_argument("--confirm", action="store_true", help="действительно удалить")

    def handle(self, *args, **options):
        try:
            person = person_by_snils(options["snils"])
        except UnknownPerson as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Работник: {person.full_name}, СНИЛС {person.masked_snils}")
        if not options["confirm"]:
            for title, count in erasure_plan(person).items():
                self.stdout.write(f"  будет удалено — {title}: {count}")
            self.stdout.write("Ничего не удалено: чтобы удалить, повторите команду с --confirm.")
            return
        erasure = erase_person(person)
        for title, count in erasure.removed.items():
            self.stdout.write(f"  удалено — {title}: {count}")
        self.stdout.write("Работник и все его записи удалены; удаление записано в историю.")
        for title, count in erasure.kept.items():
            self.stdout.write(
                f"{capfirst(title)}, в которых упомянут работник, не изменены: {count}"
            )
