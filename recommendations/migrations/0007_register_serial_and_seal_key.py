"""One official number per register, and the seals under their own key (PROFDEV_SEAL_KEY).

- Each signed letter records the register (district, calendar year) and the serial its number
  took; the database refuses a serial issued twice in one register. Existing letters get theirs
  from their number; a number issued twice before this migration (the register's next number
  set back) stays with the letter signed first, the later letters are listed and keep their
  number without a serial. Each register's next number is raised above the highest issued.
- The seals move to their own table (a signed letter's row is frozen, a seal must be renewable
  when its key rotates). A seal made under SECRET_KEY (or one of SECRET_KEY_FALLBACKS) is made
  again under PROFDEV_SEAL_KEY; any other is kept as it is, and `reseal_letters` reports it.

The freezing triggers of 0003 are dropped for the time of the migration and created again.
"""

import re
from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import constant_time_compare, salted_hmac

frozen = import_module("recommendations.migrations.0003_signed_letter_frozen")
BOTH_DROP = frozen._run({"sqlite": frozen.SQLITE_DROP, "postgresql": frozen.POSTGRESQL_DROP})
BOTH_CREATE = frozen._run({"sqlite": frozen.SQLITE, "postgresql": frozen.POSTGRESQL})
SALT = "recommendations.letter.pdf"


def _hmac(letter, pdf: bytes, key: str) -> str:
    identity = f"{letter.pk}|{letter.token}|{letter.number}|{letter.date:%Y-%m-%d}|{letter.school_id}"
    message = identity.encode() + b"\0" + pdf
    return salted_hmac(SALT, message, secret=key, algorithm="sha256").hexdigest()


def _serial(number: str, number_format: str) -> int | None:
    pattern = re.escape(number_format).replace(re.escape("{n}"), r"(\d+)")
    match = re.fullmatch(pattern, number) or re.search(r"(\d+)\D*$", number)
    return int(match.group(1)) if match else None


def forward(apps, schema_editor):
    letter_model = apps.get_model("recommendations", "Letter")
    register_model = apps.get_model("recommendations", "OutgoingRegister")
    seal_model = apps.get_model("recommendations", "LetterSeal")
    old_keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    taken: dict[int, set[int]] = {}
    signed = letter_model.objects.filter(status="signed").order_by("signed_at", "pk")
    for pk in signed.values_list("pk", flat=True):
        letter = letter_model.objects.select_related("monitoring_year").get(pk=pk)
        register, _ = register_model.objects.get_or_create(
            district_id=letter.monitoring_year.district_id, year=letter.date.year
        )
        serial = _serial(letter.number, register.number_format)
        if serial in taken.setdefault(register.pk, set()):
            print(
                f"\n  Письмо {letter.pk}: номер «{letter.number}» от {letter.date:%d.%m.%Y} уже "
                "выдан другому письму; номер сохранён, в журнале исходящих он не учитывается."
            )
            serial = None
        if serial is not None:
            taken[register.pk].add(serial)
        pdf = bytes(letter.pdf)
        seal = letter.seal
        if settings.SEAL_KEY and any(
            constant_time_compare(_hmac(letter, pdf, key), seal) for key in old_keys
        ):
            seal = _hmac(letter, pdf, settings.SEAL_KEY)
        letter_model.objects.filter(pk=pk).update(register=register, serial=serial)
        seal_model.objects.create(letter_id=pk, value=seal)
    for register in register_model.objects.filter(pk__in=taken):
        highest = max(taken[register.pk], default=0)
        if register.next_number <= highest:
            register.next_number = highest + 1
            register.save(update_fields=["next_number"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER


def backward(apps, schema_editor):
    letter_model = apps.get_model("recommendations", "Letter")
    seal_model = apps.get_model("recommendations", "LetterSeal")
    for seal in seal_model.objects.all():
        letter_model.objects.filter(pk=seal.letter_id).update(seal=seal.value)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0006_unique_with_null_rows")]

    operations = [
        migrations.RunPython(BOTH_DROP, BOTH_CREATE),
        migrations.CreateModel(
            name="LetterSeal",
            fields=[
                (
                    "letter",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",  # "seal" once the old column is gone
                        serialize=False,
                        to="recommendations.letter",
                        verbose_name="письмо",
                    ),
                ),
                ("value", models.CharField(max_length=64, verbose_name="печать целостности")),
                ("sealed_at", models.DateTimeField(auto_now=True, verbose_name="запечатано")),
            ],
            options={
                "verbose_name": "печать целостности письма",
                "verbose_name_plural": "печати целостности писем",
            },
        ),
        migrations.AddField(
            model_name="letter",
            name="register",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="letters",
                to="recommendations.outgoingregister",
                verbose_name="журнал исходящих",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="serial",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="порядковый номер"
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="letter", name="seal"),
        migrations.AlterField(
            model_name="letterseal",
            name="letter",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="seal",
                serialize=False,
                to="recommendations.letter",
                verbose_name="письмо",
            ),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                fields=("register", "serial"), name="letter_serial_once_per_register"
            ),
        ),
        migrations.RunPython(BOTH_CREATE, BOTH_DROP),
    ]
