"""A letter's lines into its parts: header lines, recipients, body blocks, the closing block
(Nơi nhận and signature) and the appendix — whatever the layout: Word tables read column by
column, a PDF's two columns run into one line, Markdown, tabs, lines wrapped mid-sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator

from models.letterlines import Line
from models.vntext import UPPER

MOTTO = re.compile(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM", re.IGNORECASE)
INDEPENDENCE = re.compile(r"Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)
NUMBER = re.compile(r"^Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ0-9]+(?:\s?[-–]\s?[A-ZĐ0-9.]+)*)")
PLACE_DATE = re.compile(
    r"(?P<place>[^,*]{2,60}),\s*ngày\s*(?P<day>\d{1,2})?\s*(?:tháng|/)\s*(?P<month>\d{1,2})?"
    r"\s*(?:năm|/)\s*(?P<year>\d{4})"
)
RECIPIENTS = re.compile(r"^Kính gửi\s*:?\s*(.*)$", re.IGNORECASE)
DISTRIBUTION = re.compile(r"^Nơi nhận\s*:?\s*(.*)$", re.IGNORECASE)
APPENDIX = re.compile(r"^PHỤ LỤC\b", re.IGNORECASE)
ITEM = re.compile(r"^(?:(\d{1,2})\s*[.)]|([a-zđ])\)|\((\d{1,2})\)|(\d{1,2}\.\d{1,2})\.?)\s*(.*)$")
SECTION = re.compile(r"^([IVX]{1,4})\s*[.:-]\s*(.+)$")
BULLET = re.compile(r"^[-–+•]\s*(.*?)\s*$")
AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*(.*)$")
_STAMP = re.compile(r"^(Ký bởi|Email|Cơ quan|Thời gian ký|Ngày ký|Signed|Dự thảo|DỰ THẢO)\b")
_BODY_STARTS = re.compile(
    r"^(Căn cứ|Thực hiện|Triển khai|Để |Nhằm|Ngày \d|Sau khi|Theo|Xét|Trên cơ sở|Thời gian qua"
    r"|Kính gửi|Tiếp theo|Qua |Vừa qua|Hiện nay|Trong )"
)
RULE = re.compile(r"^[_\-–—=*.]{1,}$")
_SIGNED = re.compile(r"^\(?\s*(đã ký|Đã ký|ĐÃ KÝ|ký|Ký)(?: và đóng dấu)?\s*\)?$")


def plain(text: str) -> str:
    """TEXT without emphasis marks around it or its words."""
    return re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", "", text).strip()


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_layout(lines: list[Line]) -> list[Line]:
    """A line holding two columns of a layout (a PDF's header or signature) as two lines."""
    out: list[Line] = []
    for line in lines:
        if line.cells:
            out.append(line)
            continue
        parts = _parts(plain(line.text))
        if len(parts) == 1:
            out.append(line)  # as written, emphasis kept (an italic deadline)
            continue
        out.extend(Line(line.no, part) for part in parts if part or not out)
        if not line.text:
            out.append(Line(line.no, ""))
    return out


def _parts(text: str) -> list[str]:
    if not text:
        return []
    for pattern in (MOTTO, INDEPENDENCE):
        found = pattern.search(text)
        if found and (found.start() > 0 or found.end() < len(text)):
            return [
                *_parts(text[: found.start()].strip()),
                found[0],
                *_parts(text[found.end() :].strip()),
            ]
    number = NUMBER.match(text)
    if number and number.end() < len(text):
        rest = text[number.end() :].strip()
        if PLACE_DATE.search(rest) or rest.startswith("V/v"):
            return [text[: number.end()], *_parts(rest)]
    # "V/v triển khai thực hiện Công văn    Cẩm Xuyên, ngày 20 tháng 5 năm 2024": the subject
    # column and the date column side by side.
    if text.startswith("V/v"):
        dated = PLACE_DATE.search(text)
        if dated:
            # The place is the run of capitalised words before its comma.
            place = re.search(rf"(?:(?<= )|^)(?:[{UPPER}]\S* ?)+$", text[: dated.end("place")])
            if place and place.start() > 4:
                return [text[: place.start()].strip(), text[place.start() :]]
    distribution = DISTRIBUTION.match(text)
    if distribution and distribution[1]:
        listed = re.split(r"(?:^|(?<=[:;.,]))\s*-\s+", distribution[1])
        if is_caps(distribution[1]):
            return ["Nơi nhận:", *_signer_parts(distribution[1])]
        if len(listed) > 1:
            return ["Nơi nhận:", *(f"- {p.strip()}" for p in listed if p.strip())]
    if AUTHORITY.match(text) or (is_caps(text.split(" ")[0]) and _TITLE.search(text)):
        return _signer_parts(text)
    # "- TT Tỉnh ủy, TT HĐND tỉnh; PHÓ CHỦ TỊCH", "- Các Sở: Tài chính, KT. CHÁNH VĂN
    # PHÒNG": a recipient (or the rest of one) and, beside it, the signer's title.
    # The capitals can only start after the line's last small letter (found once: testing
    # every word's tail made long lines cost their length squared).
    small = max((i for i, c in enumerate(text) if c.isalpha() and not c.isupper()), default=-1)
    after = next((m for m in re.finditer(r"(?<=\s)\S", text) if m.start() > small), None)
    if after is not None and is_caps(tail := text[after.start() :]):
        left = text[: after.start()].strip()
        titled = AUTHORITY.match(tail) or _TITLE.search(tail)
        if titled and len(tail.split()) >= 2 and any(c.isalpha() for c in left):
            return [left, *_signer_parts(tail)]
    # "- Lưu: VT, CN. Nguyễn Hữu Tình", "- UBND các huyện; Trần Thị Minh Nguyệt": a copies or
    # archive line and, beside it, the signer's name.
    archive = re.match(r"^(?:[-–+]|[-–+]?\s*Lưu\b).*?[.;]\s+(?=\S+(?: \S+){1,4}$)", text)
    if archive and all(w[:1].isupper() and w[1:].islower() for w in text[archive.end() :].split()):
        return [text[: archive.end()].strip(), text[archive.end() :]]
    return [text]


_TITLE_WORDS = (
    "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "PHÓ CHÁNH VĂN PHÒNG",
    "CHÁNH VĂN PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG", "PHÓ CHÁNH THANH TRA",
    "CHÁNH THANH TRA", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN",
    "PHÓ CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ GIÁM ĐỐC SỞ", "GIÁM ĐỐC SỞ", "BÍ THƯ",
)  # fmt: skip
_TITLE = re.compile(r"\b(?:" + "|".join(_TITLE_WORDS) + r")\b")
_AUTHORITY_AT = re.compile(r"\b(?:TM|KT|TL|Q|TUQ)\.\s*")


def _signer_parts(text: str) -> list[str]:
    """'KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Thanh Phong' -> its three lines: each authority line
    holds one title, the position another, and the name follows the capitals."""
    words = text.split(" ")
    caps_end = next(
        (
            i
            for i, w in enumerate(words)
            if not is_caps(w) and w[:1].isupper() and i > 0 and not w.endswith(".")
        ),
        len(words),
    )
    caps, name = " ".join(words[:caps_end]), " ".join(words[caps_end:])
    out: list[str] = []
    starts = [m.start() for m in _AUTHORITY_AT.finditer(caps)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    pieces = [caps[a:b].strip() for a, b in zip(starts, [*starts[1:], len(caps)], strict=True)]
    for piece in pieces:
        authority = _AUTHORITY_AT.match(piece)
        if not authority:
            out.append(piece)
            continue
        rest = piece[authority.end() :]
        title = _TITLE.match(rest)
        if title and title.end() < len(rest):
            out += [piece[: authority.end()] + rest[: title.end()], rest[title.end() :].strip()]
        else:
            out.append(piece)
    return [p for p in (*out, name) if p]


def blocks(lines: list[Line]) -> Iterator[Line]:
    """Paragraphs of the body. A phrase broken over lines is joined back: when the next line
    goes on in lower case, or when a long line ends mid-sentence (a PDF's or a copy's wrapped
    lines). A heading ("1. Mục đích") is short and unpunctuated, so it stands alone."""
    pending: Line | None = None
    gap = False
    for line in lines:
        if not line.text or RULE.match(line.text):
            gap = True
            continue
        if line.cells:
            if pending:
                yield pending
                pending = None
            yield line
            continue
        text = plain(line.text)
        starts_new = (
            ITEM.match(text)
            or SECTION.match(text)
            or BULLET.match(text)
            or RECIPIENTS.match(text)
            or DISTRIBUTION.match(text)
            or (is_caps(text) and len(text) < 80)
            or text.startswith("(")
        )
        if pending and not starts_new and not _ends_sentence(pending.text):
            goes_on = text[:1].islower() or text[:1].isdigit()
            # A line of a PDF or a copy may be wrapped mid-phrase; a Word paragraph broken by a
            # stray return (seed 002: "PAR" / "INDEX") is long and unpunctuated.
            wrapped = len(pending.text) > (100 if pending.whole else 60)
            if (goes_on and not gap) or wrapped:
                pending = Line(pending.no, f"{pending.text} {line.text}", whole=line.whole)
                gap = False
                continue
        if pending:
            yield pending
        pending, gap = line, False
    if pending:
        yield pending


def _ends_sentence(text: str) -> bool:
    text = plain(text)
    return text.endswith((".", ":", ";", "!", "?", "./.")) or (is_caps(text) and len(text) < 80)


_NAME = re.compile(rf"^[{UPPER}][^\s]*(?: [{UPPER}][^\s]*){{1,4}}$")


def is_name(text: str) -> bool:
    """TEXT is a person's name as signed: two to five capitalised words."""
    return bool(_NAME.match(text))


def signature_start(lines: list[Line], end: int) -> int:
    """Where a signature laid out as paragraphs just before END («Nơi nhận») begins: its
    authority and position lines in capitals, a signed mark or stamp, then the name. END when
    the lines before it are not such a block."""
    start, titled, named = end, False, False
    for i in range(end - 1, -1, -1):
        text = plain(lines[i].text)
        if lines[i].cells or len(text) > 80:
            break
        if is_caps(text) and (AUTHORITY.match(text) or _TITLE.search(text)):
            titled = True
        elif is_name(text) and not (titled or named):
            named = True
        elif text and not is_signed_mark(text):
            break
        start = i
    return start if titled else end


def is_signed_mark(text: str) -> bool:
    return bool(_SIGNED.match(plain(text))) or bool(_STAMP.match(plain(text)))


def is_stamp(text: str) -> bool:
    return bool(_STAMP.match(plain(text)))


def body_starts(text: str) -> bool:
    """TEXT opens a letter's body (so a title or a list of recipients has ended)."""
    return bool(_BODY_STARTS.match(text))
