from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recommendations.kep.verification import stored_signature_check
from recommendations.models import Letter
from recommendations.sealing import is_untouched


class Command(BaseCommand):
    help = (
        "Проверить подпись подписанного письма (УНЭП в PDF или открепленную КЭП) и его "
        "контрольную сумму; код 0 — подпись действительна, 1 — нет."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)

    def handle(self, *args, **options):
        letter = (
            Letter.objects.filter(pk=options["id"]).select_related("school", "provider").first()
        )
        if letter is None:
            raise CommandError(f"Письмо {options['id']} не найдено.")
        if not letter.is_signed:
            raise CommandError(f"Письмо {letter.pk} не подписано: проверять нечего.")
        pdf = bytes(letter.pdf)
        untouched = is_untouched(letter, pdf)
        check = stored_signature_check(letter, pdf)
        kind = "КЭП (открепленная CAdES-BES)" if check.kep or letter.signature else "УНЭП (PAdES)"
        lines = [
            f"Письмо {letter.pk}: {letter.date:%d.%m.%Y} № {letter.number}, "
            f"{letter.addressee_short}",
            f"Подпись: {kind}",
            f"Файл не изменялся (контрольная сумма и печать): {'да' if untouched else 'нет'}",
        ]
        if check.kep:
            certificate = check.kep.certificate
            lines += [
                f"Владелец сертификата: {certificate.owner}",
                f"Организация: {certificate.organisation or '—'}",
                f"Серийный номер: {certificate.serial_number}",
                f"УЦ: {check.kep.chain.authority.subject_name}",
                f"Действителен: с {timezone.localtime(certificate.valid_from):%d.%m.%Y} "
                f"по {timezone.localtime(certificate.valid_until):%d.%m.%Y}",
                f"Время подписания: {timezone.localtime(check.kep.signing_time):%d.%m.%Y %H:%M}",
            ]
        elif check.signer:
            lines.append(f"Подписант: {check.signer}")
        lines += [f"Не проверено: {note}" for note in check.notes]
        if check.problem:
            lines.append(f"Ошибка: {check.problem}")
        self.stdout.write("\n".join(lines))
        if not (check.ok and untouched):
            raise CommandError("Подпись письма недействительна или файл изменён.")
        self.stdout.write("Подпись действительна.")
