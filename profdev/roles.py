"""Granting roles: the service behind `grant_role` and the demo users."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from profdev.models import District, RoleGrant, School

Role = RoleGrant.Role


@transaction.atomic
def grant_role(
    *,
    username: str,
    role: str,
    school_code: str | None = None,
    district_code: str | None = None,
    password: str | None = None,
) -> RoleGrant:
    """Create the user if missing and give them the role; raises ValidationError in Russian."""
    if role not in Role.values:
        raise ValidationError(f"Неизвестная роль «{role}». Допустимые: {', '.join(Role.values)}.")
    school = district = None
    if role == Role.SCHOOL_ADMIN:
        if not school_code:
            raise ValidationError("Для роли school_admin укажите ОО: --school КОД.")
        school = School.objects.filter(code=school_code).first()
        if school is None:
            raise ValidationError(f"ОО с кодом «{school_code}» не найдена.")
    elif role in (Role.METHODOLOGIST, Role.HEAD):
        district = _district(district_code)

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    user.save()
    grant, _ = RoleGrant.objects.get_or_create(
        user=user, role=role, school=school, district=district
    )
    return grant


def _district(code: str | None) -> District:
    if code:
        district = District.objects.filter(code=code).first()
        if district is None:
            raise ValidationError(f"Муниципалитет с кодом «{code}» не найден.")
        return district
    districts = list(District.objects.all()[:2])
    if len(districts) != 1:
        raise ValidationError(
            "Укажите муниципалитет: --district КОД (в системе их несколько)."
            if districts
            else "В системе нет ни одного муниципалитета: сначала заведите его командой "
            "«manage.py add_district КОД НАЗВАНИЕ»."
        )
    return districts[0]
