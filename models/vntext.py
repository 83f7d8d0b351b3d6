"""Vietnamese text rules for documents: how dates, numerals and names are written (ND 30/2020)."""

from __future__ import annotations

import datetime as dt
import unicodedata


def _day_month(day: int, month: int) -> tuple[str, str]:
    # ND 30/2020, Phụ lục I: days below 10 and months 1, 2 take a leading zero.
    return (f"{day:02d}" if day < 10 else str(day), f"{month:02d}" if month < 3 else str(month))


def long_date(date: dt.date, *, blank_day: bool = False) -> str:
    """'ngày 06 tháng 5 năm 2024'; a draft leaves the day blank for the clerk to fill in."""
    day, month = _day_month(date.day, date.month)
    if blank_day:
        day = "\u00a0" * 4
    return f"ngày {day} tháng {month} năm {date.year}"


def short_date(date: dt.date) -> str:
    """'20/5/2024', '09/01/2024': the form used inside running text."""
    day, month = _day_month(date.day, date.month)
    return f"{day}/{month}/{date.year}"


def month_year(year: int, month: int) -> str:
    """'6/2024', '02/2024'."""
    return f"{_day_month(1, month)[1]}/{year}"


# Every Vietnamese capital letter, for a regular expression's character class: a name or an
# issuer may begin with a toned capital ("Ủy ban nhân dân", "Ông Ích Khiêm").
UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"

_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Section numerals of a plan: I, II, III …"""
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def in_vietnamese_order(text: str) -> tuple[str, str]:
    """A sort key that orders names as a Vietnamese reader expects: by letters without tone
    marks first (Ba Tơ before Bình Sơn), đ after d, then by the marks."""
    letters = unicodedata.normalize("NFD", text.casefold().replace("đ", "d\uffff"))
    return "".join(c for c in letters if not unicodedata.combining(c)), text
