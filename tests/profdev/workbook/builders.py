"""Test workbooks built in code: `xlsx({"ОО": [school()], "Педагоги": [staff(...)]})`."""

import datetime as dt
import io

from openpyxl import Workbook

from tests.factories import next_snils


def xlsx(sheets: dict[str, list[dict]], headers: dict[str, list[str]] | None = None) -> io.BytesIO:
    """A workbook whose sheets hold the given rows (dicts header → value); the headers are
    the union of the rows' keys unless given."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = (headers or {}).get(name) or list(dict.fromkeys(k for r in rows for k in r))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def school(code="S-A", **values) -> dict:
    return {
        "Код ОО": code,
        "Наименование": f"Муниципальное бюджетное общеобразовательное учреждение «{code}»",
        "Краткое наименование": f"МБОУ «{code}»",
        "Тип ОО": "общеобразовательная",
        **values,
    }


def staff(snils=None, code="S-A", **values) -> dict:
    return {
        "СНИЛС": snils or next_snils(),
        "Фамилия": "Иванова",
        "Имя": "Мария",
        "Отчество": "Петровна",
        "Пол": "ж",
        "Дата рождения": dt.date(1985, 3, 4),
        "Код ОО": code,
        "Должность": "учитель математики",
        "Категория работника": "педагогический",
        "Место работы": "основное",
        "Образование": "высшее педагогическое",
        "Педагогический стаж с": dt.date(2008, 9, 1),
        "Дата приема": dt.date(2010, 9, 1),
        **values,
    }


def provider(name="ОГБУ ДПО «Институт развития образования»", **values) -> dict:
    return {"Наименование": name, "Вид": "региональная", **values}


def course(snils, **values) -> dict:
    return {
        "СНИЛС": snils,
        "Вид программы": "ПК",
        "Программа": "Функциональная грамотность",
        "Организация": "ОГБУ ДПО «Институт развития образования»",
        "Часы": 36,
        "Форма": "очная",
        "Дата окончания": dt.date(2024, 5, 20),
        **values,
    }
