"""The demo district's letters (steps of `load_demo`; the arguments default to the demo's):
the department head gets a self-signed certificate; two years of letters are signed, but for a
draft and a letter awaiting signature in the last year, through the app's own services."""

from django.contrib.auth import get_user_model

from monitoring.demo import DEMO_MONITORING_YEARS
from monitoring.models import MonitoringYear
from profdev.demo.loading import DEMO_DISTRICT, DEMO_HEAD, DEMO_METHODOLOGIST
from profdev.models import District, Organisation
from recommendations.drafting import letters_draft
from recommendations.models import Letter, SigningCertificate
from recommendations.services import letter_confirm_receipt, letter_send, letter_sign
from recommendations.signing import certificate_make_dev


def load_signing_certificate() -> str:
    user = get_user_model().objects.get(username=DEMO_HEAD)
    if SigningCertificate.objects.filter(user=user).exists():
        return f"у «{DEMO_HEAD}» сертификат уже есть"
    organisation = Organisation.objects.get(district__code=DEMO_DISTRICT)
    certificate = certificate_make_dev(
        user=user, owner=organisation.head_name, position=organisation.head_position
    )
    return f"самоподписанный сертификат {certificate.serial_number} для «{DEMO_HEAD}»"


def load_letters(
    *,
    district_code: str = DEMO_DISTRICT,
    years: tuple[int, ...] = DEMO_MONITORING_YEARS,
    drafter: str = DEMO_METHODOLOGIST,
    signer: str = DEMO_HEAD,
    in_progress_year: int | None = DEMO_MONITORING_YEARS[-1],
) -> str:
    """Each year's letters drafted and sent by `drafter` (their executor), signed by `signer`;
    every other school confirms receipt. In `in_progress_year`, the first two schools' letters
    are left for trying the workflow in the browser: one a draft, one awaiting signature. A
    year that has letters is left as it is, so a second run changes nothing."""
    district = District.objects.get(code=district_code)
    users = {u.username: u for u in get_user_model().objects.all()}
    methodologist, head = users[drafter], users[signer]
    done = []
    for year in years:
        monitoring_year = MonitoringYear.objects.get(district=district, year=year)
        letters = Letter.objects.filter(monitoring_year=monitoring_year)
        if letters.exists():
            done.append(f"{monitoring_year.label}: писем {letters.count()}, подписано сейчас 0")
            continue
        drafted = letters_draft(year=monitoring_year, user=methodologist).letters
        schools = sorted((x for x in drafted if x.school), key=lambda x: x.school.code)
        in_progress = schools[:2] if year == in_progress_year else []
        for letter in drafted:
            if letter in in_progress:
                continue
            letter = letter_send(letter=letter, user=methodologist)
            letter = letter_sign(letter=letter, user=head)
            school_admin = users.get(f"ou-{letter.school.code}") if letter.school else None
            if school_admin is not None and letter.school.code[-1] in "13579":
                letter_confirm_receipt(letter=letter, user=school_admin)
        summary = f"{monitoring_year.label}: писем {len(drafted)}, "
        summary += f"подписано сейчас {len(drafted) - len(in_progress)}"
        if in_progress:
            summary += f"; черновик — {in_progress[0].school.short_name}"
        if len(in_progress) > 1:
            letter_send(letter=in_progress[1], user=methodologist)
            summary += f", на подписи — {in_progress[1].school.short_name}"
        done.append(summary)
    return "; ".join(done)
