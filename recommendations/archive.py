"""A monitoring year's signed letters in one ZIP: each PDF exactly as signed, named by its number
and school (schools in natural order, the district letter first), with its detached signature
(`.sig`) when signed with КЭП, and the outgoing register of those letters as `.xlsx`."""

import re
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from monitoring.exports import Cell, Sheet, workbook
from monitoring.models import MonitoringYear
from recommendations.models import Letter, LetterEvent
from recommendations.services import letter_pdf

REGISTER_NAME = "Журнал исходящих.xlsx"
REGISTER_HEADERS = ["Исходящий номер", "Дата", "Адресат", "Заголовок", "Подписал", "SHA-256"]
# Characters a file name may not hold on some system (the number's «/» among them).
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def pdf_name(letter: Letter) -> str:
    return _UNSAFE.sub("_", f"{letter.number} {letter.addressee_short}.pdf")


def signature_name(letter: Letter) -> str:
    """A КЭП letter's detached signature, named as CryptoPro names one: the PDF's name + .sig."""
    return pdf_name(letter) + ".sig"


def archive_name(year: MonitoringYear) -> str:
    return f"letters-{year.district.code}-{year.year}-{year.year + 1}.zip"


RESERVED = "номер зарезервирован для подписи КЭП, письмо не подписано"


def register_workbook(letters: list[Letter], reserved: list[Letter] = ()) -> bytes:
    """The signed letters, and the numbers reserved for a КЭП signature that never came."""
    rows = [
        [
            letter.number,
            Cell(letter.date, "DD.MM.YYYY"),
            letter.addressee_short,
            letter.title,
            RESERVED if letter in reserved else f"{letter.signer_position} {letter.signer_name}",
            letter.sha256,
        ]
        for letter in sorted([*letters, *reserved], key=lambda x: (x.date, x.serial))
    ]
    sheet = Sheet("Журнал исходящих", [REGISTER_HEADERS], [16, 12, 40, 60, 40, 66], rows)
    return workbook(sheet)


def signed_letters_zip(*, year: MonitoringYear, user) -> bytes:
    """The ZIP (a PDF changed since signing stops it: `services.TamperedLetter`); each letter
    is logged as downloaded by the user."""
    signed = Letter.objects.filter(monitoring_year=year, status=Letter.State.SIGNED)
    letters = sorted(signed.select_related("school", "provider", "seal"), key=Letter.natural_order)
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        for letter in letters:
            archive.writestr(pdf_name(letter), letter_pdf(letter))
            if letter.signature is not None:
                archive.writestr(signature_name(letter), bytes(letter.signature))
        reserved = year.letters.exclude(status=Letter.State.SIGNED).filter(serial__isnull=False)
        archive.writestr(
            REGISTER_NAME,
            register_workbook(
                letters, list(reserved.select_related("school", "provider").defer(*Letter.HEAVY))
            ),
        )
    LetterEvent.objects.bulk_create(
        LetterEvent(letter=letter, kind=LetterEvent.Kind.DOWNLOADED, user=user)
        for letter in letters
    )
    return buffer.getvalue()
