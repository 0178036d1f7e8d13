"""The demo district's signer: the department head gets a self-signed certificate."""

from django.contrib.auth import get_user_model

from profdev.models import Organisation
from recommendations.models import SigningCertificate
from recommendations.signing import certificate_make_dev


def load_signing_certificate(*, username: str, district_code: str) -> str:
    user = get_user_model().objects.get(username=username)
    if SigningCertificate.objects.filter(user=user).exists():
        return f"у «{username}» сертификат уже есть"
    organisation = Organisation.objects.get(district__code=district_code)
    certificate = certificate_make_dev(
        user=user, owner=organisation.head_name, position=organisation.head_position
    )
    return f"самоподписанный сертификат {certificate.serial_number} для «{username}»"
