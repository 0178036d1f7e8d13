import time

from django.core.management.base import BaseCommand, CommandError

from profdev.demo.generator import district_codes, write_region


class Command(BaseCommand):
    help = (
        "Сгенерировать синтетический муниципалитет (или регион) в формате книги .xlsx: "
        "одинаковое зерно даёт одинаковый файл."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="куда записать .xlsx")
        parser.add_argument("--schools", type=int, default=12, help="число ОО (12)")
        parser.add_argument("--staff", type=int, default=400, help="число работников (400)")
        parser.add_argument(
            "--districts",
            type=int,
            default=1,
            help="число муниципалитетов (1); их коды ZR, OZ, LS… в столбце «Муниципалитет»",
        )
        parser.add_argument("--years", type=int, default=5, help="учебных лет до 2025/2026 (5)")
        parser.add_argument("--seed", type=int, default=2025, help="зерно генератора (2025)")

    def handle(self, *args, **options):
        if options["districts"] < 1:
            raise CommandError("Число муниципалитетов должно быть не меньше одного.")
        started = time.perf_counter()
        try:
            counts = write_region(
                options["file"],
                schools=options["schools"],
                staff=options["staff"],
                years=options["years"],
                seed=options["seed"],
                districts=district_codes(options["districts"]),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Записано в {options['file']} за {elapsed} с:")
        for sheet, rows in counts.items():
            self.stdout.write(f"  {sheet}: {rows}")
