"""The demo district (`load_demo`): a sequence of small idempotent steps.

Each step returns a one-line Russian summary. The records' steps are here; each app above
them adds its own (monitoring years, letters, measures, the signing certificate) with
`profdev.hooks.add_demo_step`, reading the demo's names from this module.
"""

import io
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q

from profdev import hooks
from profdev.demo.generator import district_info, write_region
from profdev.landing import landing_url
from profdev.models import District, Organisation, RoleGrant, School
from profdev.roles import grant_role
from profdev.workbook.importer import import_workbook

DEMO_DISTRICT = "ZR"
# One password for every demo user, printed by `load_demo`.
DEMO_PASSWORD = "demo-parol-2025"
DEMO_REGION = {"schools": 12, "staff": 400, "seed": 2025, "districts": (DEMO_DISTRICT,)}

Role = RoleGrant.Role


class DemoError(Exception):
    """The demo could not be loaded (e.g. the database holds conflicting records)."""


def demo_district() -> District:
    return District.objects.get(code=DEMO_DISTRICT)


def load_district() -> str:
    """The district and its office's requisites; requisites edited since are kept, empty ones
    (fields added since the demo was loaded) filled in."""
    info = district_info(DEMO_DISTRICT)
    district, created = District.objects.get_or_create(
        code=DEMO_DISTRICT, defaults={"name": info["name"]}
    )
    organisation, _ = Organisation.objects.get_or_create(
        district=district, defaults=info["organisation"]
    )
    empty = {k: v for k, v in info["organisation"].items() if not getattr(organisation, k)}
    if empty:
        Organisation.objects.filter(pk=organisation.pk).update(**empty)
    return f"«{district.name}» ({district.code}) {'создан' if created else 'уже был'}"


def load_workbook() -> str:
    """Generate the demo workbook and import it; a second run finds every row unchanged."""
    buffer = io.BytesIO()
    write_region(buffer, **DEMO_REGION)
    buffer.seek(0)
    analysis = import_workbook(buffer)
    if analysis.errors:
        raise DemoError(
            "Демонстрационная книга не загружена:\n" + "\n".join(map(str, analysis.errors))
        )
    totals = {
        label: sum(getattr(c, field) for c in analysis.counts.values())
        for label, field in (
            ("создано", "created"),
            ("изменено", "updated"),
            ("без изменений", "unchanged"),
        )
    }
    return "записей " + ", ".join(f"{label} {n}" for label, n in totals.items())


DEMO_METHODOLOGIST = "metodist"
DEMO_HEAD = "nachalnik"
DISTRICT_LOGINS = (DEMO_METHODOLOGIST, DEMO_HEAD, "admin")
PLACES = {
    Role.METHODOLOGIST: "обзор муниципалитета",
    Role.HEAD: "обзор муниципалитета",
    Role.ADMIN: "администрирование портала",
}

DEMO_NAMES = {
    DEMO_METHODOLOGIST: ("Смирнова", "Ольга Викторовна"),
    DEMO_HEAD: ("Белова", "Ирина Николаевна"),
}
# The schools' deputy heads who keep the data, in the order of the schools' codes: their names
# appear where they acknowledge letters and in the history.
DEPUTY_NAMES = (
    ("Орлова", "Наталья Сергеевна"),
    ("Кузнецова", "Елена Владимировна"),
    ("Фёдоров", "Андрей Павлович"),
    ("Захарова", "Марина Игоревна"),
    ("Лебедева", "Светлана Алексеевна"),
    ("Соколов", "Дмитрий Олегович"),
    ("Морозова", "Татьяна Евгеньевна"),
    ("Волкова", "Анна Михайловна"),
    ("Николаева", "Юлия Андреевна"),
    ("Павлов", "Сергей Викторович"),
    ("Григорьева", "Ольга Петровна"),
    ("Степанова", "Ирина Васильевна"),
)


def load_users() -> str:
    """Demo users with the demo password; a user who already exists keeps their password."""
    district = demo_district()
    methodologist, head, admin = DISTRICT_LOGINS
    accounts = [
        {"username": methodologist, "role": Role.METHODOLOGIST, "district_code": district.code},
        {"username": head, "role": Role.HEAD, "district_code": district.code},
        {"username": admin, "role": Role.ADMIN},
    ]
    codes = School.objects.filter(district=district).order_by("code").values_list("code", flat=True)
    accounts += [
        {"username": f"ou-{code}", "role": Role.SCHOOL_ADMIN, "school_code": code} for code in codes
    ]
    names = DEMO_NAMES | {
        f"ou-{code}": DEPUTY_NAMES[n % len(DEPUTY_NAMES)] for n, code in enumerate(codes)
    }
    existing = set(
        get_user_model()
        .objects.filter(username__in=[a["username"] for a in accounts])
        .values_list("username", flat=True)
    )
    for account in accounts:
        new = account["username"] not in existing
        grant_role(**account, password=DEMO_PASSWORD if new else None)
    for username, (last_name, first_name) in names.items():
        # Names appear on letters (executor's mark, acknowledgements); a name set by hand is kept.
        get_user_model().objects.filter(username=username, last_name="").update(
            last_name=last_name, first_name=first_name
        )
    return (
        f"metodist, nachalnik, admin и {len(accounts) - 3} администраторов ОО (ou-<код ОО>): "
        f"создано {len(accounts) - len(existing)}, уже были {len(existing)}"
    )


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, login, where they land) of every demo user: the district's, then each school's."""
    grants = (
        RoleGrant.objects.filter(
            Q(user__username__in=DISTRICT_LOGINS)
            | Q(user__username__startswith="ou-", school__district__code=DEMO_DISTRICT)
        )
        .select_related("user", "school")
        .order_by("school__code")
    )
    order = {username: n for n, username in enumerate(DISTRICT_LOGINS)}
    rows = []
    for grant in sorted(grants, key=lambda g: order.get(g.user.username, len(order))):
        place = grant.school.short_name if grant.school else PLACES[grant.role]
        landing = f"{landing_url(grant.user, grant.school)} — {place}"
        rows.append((str(grant.get_role_display()), grant.user.username, landing))
    return rows


def logins_table() -> str:
    """The demo logins as an aligned text table with a heading row."""
    rows = [("роль", "логин", "начальная страница"), *demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(
        f"{role:<{widths[0]}}  {login:<{widths[1]}}  {landing}" for role, login, landing in rows
    )


RECORD_STEPS: dict[str, Callable[[], str]] = {
    "Муниципалитет и реквизиты": load_district,
    "Книга ОО и педагогов": load_workbook,
    "Пользователи": load_users,
}


def load_demo(report: Callable[[str], None]) -> None:
    """Run the records' steps, then those of the apps above (`hooks.DEMO_STEPS`), reporting
    each; raises DemoError."""
    for title, run in (RECORD_STEPS | hooks.DEMO_STEPS).items():
        report(f"{title}: {run()}")
