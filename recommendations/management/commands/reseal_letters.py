from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from recommendations.sealing import letters_reseal


class Command(BaseCommand):
    help = (
        "Запечатать подписанные письма заново текущим ключом PROFDEV_SEAL_KEY (после смены "
        "ключа). Каждое письмо сначала проверяется: контрольная сумма файла, электронная "
        "подпись и прежняя печать (ключом из PROFDEV_SEAL_KEY_FALLBACKS). Письма, не прошедшие "
        "проверку, перечисляются и не запечатываются; тогда команда завершается с кодом 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-old-key",
            action="store_true",
            help="прежний ключ утрачен: не проверять прежнюю печать (доверять базе данных)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить и показать, ничего не менять"
        )

    def handle(self, *args, **options):
        try:
            report = letters_reseal(
                without_old_key=options["without_old_key"], dry_run=options["dry_run"]
            )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        done = "будет запечатано заново" if options["dry_run"] else "запечатано заново"
        total = len(report.resealed) + len(report.current) + len(report.refused)
        self.stdout.write(
            f"Подписанных писем: {total}; "
            f"{done}: {len(report.resealed)}, уже с текущим ключом: {len(report.current)}, "
            f"не прошли проверку: {len(report.refused)}."
        )
        for letter, reason in report.refused:
            self.stderr.write(
                f"Письмо {letter.pk} ({letter.addressee_short}, {letter.date:%d.%m.%Y} "
                f"№ {letter.number}): {reason}."
            )
        if report.refused:
            raise CommandError(
                f"Не запечатано писем: {len(report.refused)} — проверьте их (список выше)."
            )
