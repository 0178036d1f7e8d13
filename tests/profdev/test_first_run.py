"""The first run of docs/deploy.md, command by command, on an empty database: a district, the
users, a workbook, the indicators, the letters, the requisites on the portal, a signed letter.

The commands are read from the documentation's block, so the documentation cannot drift from
what works; only the placeholders (passwords, the workbook's file, the letter's number) are
filled in here.
"""

import json
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from profdev.models import District, Person, RoleGrant, School
from recommendations.models import Letter
from tests.profdev.workbook.builders import school, staff, xlsx

pytestmark = pytest.mark.django_db

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
MARKER = "<!-- first-run:"
PASSWORD = "Dlinnyi-parol-2024"
REQUISITES = {
    "name": "Отдел образования администрации Заречного муниципального района",
    "parent_body": "Администрация Заречного муниципального района",
    "name_genitive": "Заречного муниципального района",
    "name_dative": "Заречному муниципальному району",
    "address": "ул. Советская, д. 12, г. Заречный, 403100",
    "phone": "(84455) 2-14-37",
    "email": "uo@zarechny.example.ru",
    "okpo": "02117634",
    "ogrn": "1023401234567",
    "inn": "3412004567",
    "kpp": "341201001",
    "head_position": "Начальник отдела образования",
    "head_name": "Сидорова Анна Петровна",
}


def documented_commands() -> list[list[str]]:
    """The `manage.py` lines of the first-run block, as argument lists."""
    text = DEPLOY.read_text(encoding="utf-8")
    block = text[text.index(MARKER) :].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line and not line.startswith("#")]
    commands = []
    for line in lines:
        words = shlex.split(line)
        assert words[:2] == [".venv/bin/python", "manage.py"], line
        commands.append(words[2:])
    return commands


def run(args: list[str]) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def workbook(tmp_path) -> Path:
    rows = [staff(code="S-1", **{"Фамилия": name}) for name in ("Иванова", "Петрова", "Кузина")]
    path = tmp_path / "zarechny.xlsx"
    path.write_bytes(xlsx({"ОО": [school("S-1")], "Педагоги": rows}).getvalue())
    return path


def test_the_documented_first_run_ends_with_a_signed_letter(client, workbook):
    assert not District.objects.exists() and not get_user_model().objects.exists()
    commands = documented_commands()
    names = [args[0] for args in commands]
    assert names == [
        "add_district",
        "grant_role",
        "grant_role",
        "grant_role",
        "import_workbook",
        "compute_indicators",
        "generate_letters",
        "make_dev_certificate",
        "sign_letter",
    ]
    letters = []
    for args in commands:
        args = [PASSWORD if a == "…" else a for a in args]
        if args[0] == "import_workbook":
            args[1] = str(workbook)
        if args[0] == "sign_letter":
            args[1] = str(letters[0]["id"])
            head = args[args.index("--user") + 1]
            # Before the requisites: refused, naming what is missing, nothing signed.
            with pytest.raises(CommandError, match="не указано: наименование, вышестоящий"):
                run(args)
            assert not Letter.objects.filter(status=Letter.State.SIGNED).exists()
            login = {"username": head, "password": PASSWORD}
            assert client.post(reverse("login"), login).status_code == 302
            response = client.post(reverse("recommendations:requisites"), REQUISITES)
            assert response.status_code == 302
        output = run(args)
        if args[0] == "generate_letters":
            letters = json.loads(output)

    district = District.objects.get()
    assert (district.code, district.name) == ("ZR", "Заречный муниципальный район")
    assert set(RoleGrant.objects.values_list("role", "district")) == {
        ("admin", None),
        ("head", district.pk),
        ("methodologist", district.pk),
    }
    assert School.objects.get().district == district
    assert Person.objects.count() == 3
    signed = json.loads(output)
    letter = Letter.objects.get(pk=signed["id"])
    assert letter.status == Letter.State.SIGNED
    assert letter.number == "01-14/1"
    assert letter.signer_name == "Сидорова Анна Петровна"


def test_add_district_twice_updates_the_name(db):
    assert "заведён" in run(["add_district", "ZR", "Заречный район"])
    assert "наименование обновлено" in run(["add_district", "ZR", "Заречный  муниципальный округ"])
    assert list(District.objects.values_list("code", "name")) == [
        ("ZR", "Заречный муниципальный округ")
    ]


@pytest.mark.parametrize("code", ["ZR;1", "", "A" * 21, 'Z"R', "Z R", "ZR:1"])
def test_add_district_refuses_a_bad_code(db, code):
    with pytest.raises(CommandError, match="не подходит: только латинские или русские буквы"):
        run(["add_district", code, "Заречный район"])
    assert not District.objects.exists()


def test_an_empty_database_names_the_command_that_starts_it(db, workbook):
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_workbook", str(workbook), stdout=out)
    assert "сначала заведите его командой «manage.py add_district КОД НАЗВАНИЕ»" in out.getvalue()
    with pytest.raises(CommandError, match="add_district"):
        run(["grant_role", "petrova", "methodologist"])
    assert not School.objects.exists()
