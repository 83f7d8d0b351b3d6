"""Finding the units a letter names in running text: "Giao Giám đốc các Sở: Nội vụ, Tư pháp;
Chánh Văn phòng UBND tỉnh …", "UBND các xã, phường: …", "Sở Tài chính chủ trì, phối hợp với …".

Names are compared as keys (case, spacing, emphasis, tone placement and "Ủy ban nhân dân" /
"UBND" do not count). Where a name fits several units ("Phòng Nội vụ" of every district), the
one nearest the issuer wins: its own units, then its own subtree, its superior's, the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from models.org import OrgTree, Unit, UnitKind

# Old and new tone placement name the same office: "Văn hoá" = "Văn hóa".
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_SPELLED = (
    ("ủy ban nhân dân", "ubnd"),
    ("hội đồng nhân dân", "hđnd"),
    ("văn phòng hđnd và ubnd", "văn phòng hđnd - ubnd"),
    ("văn phòng hđnd-ubnd", "văn phòng hđnd - ubnd"),
    # The same groups in the words letters use for them.
    ("sở, ngành", "sở, ban, ngành"),
    ("ban, ngành, đoàn thể", "ban, ngành"),
    # "Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh": the heads of one group.
    ("sở, thủ trưởng các ban, ngành", "sở, ban, ngành"),
    (" thuộc tỉnh", " tỉnh"),
    (" cấp tỉnh", " tỉnh"),
)


@lru_cache(maxsize=1 << 16)  # the names of an office's tree are keyed once per process
def key(text: str) -> str:
    """How names are compared: case, spacing, emphasis and tone placement do not count."""
    text = re.sub(r"[*_\s]+", " ", text).strip(" ;,.:").lower()
    for old, new in _OLD_TONES.items():
        text = text.replace(old, new)
    for long, short in _SPELLED:
        text = text.replace(long, short)
    return text


# Words before a unit's name that name its head ("Giám đốc Sở …", "Chánh Văn phòng …").
_HEADS = (
    "thủ trưởng", "giám đốc", "chủ tịch", "chánh", "trưởng", "người đứng đầu", "lãnh đạo",
    "phó giám đốc", "phó chủ tịch", "tổng biên tập", "cục trưởng", "chi cục trưởng",
)  # fmt: skip
# Between names in a list.
_JOINS = (",", ";", "và", "với", "cùng", "-", "các đơn vị:", "các cơ quan:")
# The same without the colon: "UBND các phường Xuân Hương, Lâm Viên".
_KIND_BARE = re.compile(r"\b(?:các )?(sở|phòng|ubnd các (?:xã|phường|huyện)) (?=\w)")
# After a name, the place it is in may be said again: "Sở Nội vụ tỉnh", "… cấp tỉnh".
_PLACE_WORDS = ("cấp tỉnh", "tỉnh", "cấp huyện", "huyện", "thị xã", "thành phố", "cấp xã")
# "các Sở: Nội vụ, Tư pháp, Tài chính" — the kind said once for a list of names.
_KIND_LIST = re.compile(
    r"\b(?:các )?(sở|phòng|ban|ubnd các (?:xã|phường|huyện)(?:, (?:xã|phường|thị trấn))*)\s*:\s*"
    r"([^:;]+?)(?=;|:|$| chủ trì| thực hiện| tổ chức| rà soát| khẩn trương| căn cứ| tăng cường"
    r"| triển khai| báo cáo| chỉ đạo)"
)


@dataclass(frozen=True)
class Found:
    """Units named at the start of a text, and where in the text (its key) the names end."""

    codes: list[str]
    end: int


class Names:
    """Every name of ORG's units and groups, nearest the issuer first."""

    def __init__(self, org: OrgTree, issuer: Unit | None):
        self.org = org
        self.issuer = issuer
        self.by_first: dict[str, list[tuple[str, str]]] = {}
        # The localities of the tree's committees, as a name may end: "Sở Nội vụ tỉnh Bình Định".
        places = {self.org.place_of(u) for u in org.walk() if u.kind is UnitKind.COMMITTEE}
        self.places = sorted((key(p) for p in places if p), key=len, reverse=True)
        seen: set[str] = set()
        for code, name in self._names():
            k = key(name)
            if not k or k in seen:
                continue
            seen.add(k)
            self.by_first.setdefault(_first(k), []).append((k, code))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest first, nearest first among equals

    def _ordered_units(self) -> list[Unit]:
        units = list(self.org.walk())
        if self.issuer is None:
            return units
        issuer = self.issuer
        subtree = {u.code for u in units if u.code.startswith(issuer.code + ".")}
        parent = issuer.parent

        def rank(unit: Unit) -> int:
            if unit.code == issuer.code or unit.parent == issuer.code:
                return 0
            if unit.code in subtree:
                return 1
            if parent and (unit.parent == parent or unit.code == parent):
                return 2
            return 3

        return sorted(units, key=rank)

    def _names(self) -> list[tuple[str, str]]:
        names: list[tuple[str, str]] = []
        issuer_code = self.issuer.code if self.issuer else None
        for group in sorted(self.org.groups.values(), key=lambda g: g.parent != issuer_code):
            label = group.label
            for variant in (label, re.sub(r"^các ", "", label, flags=re.IGNORECASE)):
                names.append((group.code, variant))
                bare = re.sub(
                    r" (?:(?:trực )?thuộc (?:(?:ubnd|ủy ban nhân dân) )?[^,;]+"
                    r"|(?:cấp )?(?:tỉnh|huyện|xã))$",
                    "",
                    variant,
                    flags=re.IGNORECASE,
                )
                if bare != variant:
                    names.append((group.code, bare))
        for unit in self._ordered_units():
            place = self.org.place_of(unit) or ""
            for name in (unit.name, unit.short_name, unit.text_name):
                if not name:
                    continue
                names.append((unit.code, name))
                if place and key(name).endswith(key(place)):
                    names.append((unit.code, name[: -len(place)].strip()))
            if unit.abbreviation and len(unit.abbreviation) >= 3 and unit.kind.value != "committee":
                names.append((unit.code, unit.abbreviation))
        return names

    def spread(self, text: str) -> str:
        """'các sở: nội vụ, tư pháp và tài chính' -> 'sở nội vụ, sở tư pháp, sở tài chính'; a
        name with "và" in it ("Văn hóa và Thông tin") stays whole."""

        def spread(found: re.Match[str]) -> str:
            # "ubnd các xã, phường: a, b" -> each name with the kind it is a unit of
            kinds = [f"ubnd {k}" for k in re.findall(r"xã|phường|huyện|thị trấn", found[1])]
            kinds = kinds if found[1].startswith("ubnd") else [found[1]]
            parts = [p.strip() for p in found[2].split(",") if p.strip()]
            last = parts[-1] if parts else ""
            if " và " in last and not any(self.names(f"{k} {last}") for k in kinds):
                parts[-1:] = [p.strip() for p in last.split(" và ")]
            named = (next((k for k in kinds if self.names(f"{k} {p}")), kinds[0]) for p in parts)
            return ", ".join(  # "… và UBND xã Ea Kar" names its own kind
                p if re.match(r"(?:ubnd|sở|phòng|ban) ", p) else f"{kind} {p}"
                for kind, p in zip(named, parts, strict=True)
            )

        return self._spread_bare(_KIND_LIST.sub(spread, text))

    def _spread_bare(self, text: str) -> str:
        """'ubnd các phường xuân hương, lâm viên' (no colon) -> 'ubnd phường xuân hương, ubnd
        phường lâm viên', only as far as each part is the name of a unit of that kind."""
        for found in _KIND_BARE.finditer(text):
            kind = re.sub(r"^ubnd các (\w+)$", r"ubnd \1", found[1])
            parts = text[found.end() :].split(",")
            named = 0
            while named < len(parts) and self.at(f"{kind} {parts[named].strip()}"):
                named += 1
            if named >= 2:
                spread = [f"{kind} {p.strip()}" for p in parts[:named]]
                return text[: found.start()] + ",".join([", ".join(spread), *parts[named:]])
        return text

    def names(self, text: str) -> bool:
        """TEXT (a key) is, whole, the name of a unit or group."""
        found = self.at(text)
        return found is not None and found[1] >= len(text)

    def at(self, text: str, start: int = 0) -> tuple[str, int] | None:
        """The unit or group whose name starts TEXT (a key) at START, and where it ends."""
        rest = text[start:]
        for name, code in self.by_first.get(_first(rest), ()):
            if rest.startswith(name) and (len(rest) == len(name) or not rest[len(name)].isalnum()):
                return code, self._past_place(text, start + len(name))
        return None

    def _past_place(self, text: str, end: int) -> int:
        """Where a name ending at END ends once the place said again after it is passed: "Sở
        Nội vụ tỉnh", "Sở Nội vụ tỉnh Đắk Lắk" are still Sở Nội vụ."""
        place = next((p for p in _PLACE_WORDS if text.startswith(f" {p}", end)), None)
        if place is None:
            return end
        end += len(place) + 1
        for locality in self.places:
            stop = end + 1 + len(locality)
            if text.startswith(f" {locality}", end) and not text[stop : stop + 1].isalnum():
                return stop
        return end

    def listed(self, text: str) -> Found:
        """The units and groups named one after another at the start of TEXT, with the heads'
        titles, joining words and "các Sở: A, B" lists a letter puts between them."""
        k = self.spread(key(text))
        codes: list[str] = []
        pos = 0
        while pos < len(k):
            while k[pos : pos + 1] == " ":
                pos += 1
            skipped = _skip_words(k, pos)
            if skipped != pos:
                pos = skipped
                continue
            found = self.at(k, pos)
            if found is None:
                break
            codes.append(found[0])
            pos = found[1]
            bracket = re.match(r"\s*\([^)]*\)", k[pos:])  # "(các đơn vị có tên tại Phụ lục)"
            if bracket:
                pos += bracket.end()
        return Found(list(dict.fromkeys(codes)), pos)

    def anywhere(self, text: str) -> list[str]:
        """Units named in TEXT wherever they stand (a recipient line, a cell)."""
        k = self.spread(key(text))
        out: list[str] = []
        pos = 0
        while pos < len(k):
            found = self.at(k, pos) if pos == 0 or not k[pos - 1].isalnum() else None
            if found:
                out.append(found[0])
                pos = found[1]
            else:
                pos += 1
        return list(dict.fromkeys(out))


def _first(text: str) -> str:
    return text.split(" ", 1)[0].rstrip(",;:.")


def _skip_words(text: str, pos: int) -> int:
    for word in (*_HEADS, *_JOINS, "đồng chí", "các"):
        if text.startswith(word, pos):
            end = pos + len(word)
            if end == len(text) or not text[end].isalnum() or not word[-1].isalnum():
                return end
    return pos
