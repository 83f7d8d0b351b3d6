"""Who a letter is addressed to (Kính gửi), who receives copies (Nơi nhận, Lưu) and who
signs it — as laid out in any of the ways clerks lay them out."""

from __future__ import annotations

import re
from typing import Any

from models.importing import structure as st
from models.importing.names import key
from models.importing.tasks import TaskReading
from models.letterlines import Line

# What a recipient line may add after a group's name without naming anyone else: "Các sở,
# ban, ngành, đơn vị cấp tỉnh" is the group "Các sở, ban, ngành cấp tỉnh".
_GENERIC_TAIL = re.compile(
    r"(?:[\s,;]|và|các|đơn vị|cơ quan|địa phương|liên quan|trực thuộc|thuộc|cấp|tỉnh|huyện|xã"
    r"|thị xã|thành phố|trên địa bàn)*"
)


class AddressReading(TaskReading):
    """The part of the reader that reads the addressees, the copies and the signature."""

    # -- recipients --------------------------------------------------------------------------

    def recipients(self, blocks: list[Line]) -> list[Line]:
        """Reads 'Kính gửi' and returns the blocks after it."""
        at = next(
            (i for i, b in enumerate(blocks[:4]) if st.RECIPIENTS.match(st.plain(b.text))), None
        )
        if at is None:
            return blocks
        inline = st.RECIPIENTS.match(st.plain(blocks[at].text))
        assert inline is not None
        entries = [Line(blocks[at].no, inline[1])] if inline[1] else []
        rest = blocks[at + 1 :]
        while rest and self._is_recipient(rest[0], entries):
            entries.append(rest[0])
            rest = rest[1:]
        lines: list[dict[str, Any]] = []
        for entry in entries:
            bullet = st.BULLET.match(st.plain(entry.text))
            text = (bullet[1] if bullet else st.plain(entry.text)).strip().rstrip(";,.")
            whole = self.names.listed(text)
            parts = (
                [text]
                if whole.codes and whole.end >= len(self.names.spread(key(text))) - 1
                else [p.strip() for p in re.split(r";\s*", text) if p.strip()]
            )
            for part in parts:
                found = self.names.listed(part)
                tail = self.names.spread(key(part))[found.end :]
                if found.codes and (len(tail) <= 1 or _GENERIC_TAIL.fullmatch(tail)):
                    self.recipient_codes += found.codes
                    named = "; ".join(self.org.label(c) for c in found.codes)
                    same = key(named) == key(part)
                    lines.append(
                        {"units": found.codes} if same else {"label": part, "units": found.codes}
                    )
                else:
                    self.note(
                        entry,
                        "nơi nhận không khớp đơn vị nào trong cây tổ chức; giữ nguyên dòng",
                        "recipients",
                    )
                    lines.append({"label": part})
        self.spec["recipients"] = lines
        return rest

    def _is_recipient(self, line: Line, entries: list[Line]) -> bool:
        text = st.plain(line.text)
        if st.BULLET.match(text):
            return True
        if entries and st.plain(entries[-1].text).endswith("."):
            return False
        return len(text) < 120 and not st.body_starts(text) and not st.ITEM.match(text)

    # -- closing -----------------------------------------------------------------------------

    def signature(self, lines: list[Line], body: list[Line], *, found: bool) -> None:
        """The signer, Nơi nhận and Lưu from LINES (the closing without its «Nơi nhận» heading,
        FOUND when the letter had one)."""
        if not found and not any(st.is_caps(st.plain(b.text)) for b in body[-6:]):
            self.note(None, "không tìm thấy «Nơi nhận» và chữ ký", "signer")
            return
        distribution: list[str] = []
        titles: list[str] = []
        names: list[str] = []
        open_entry = False  # the last recipient line did not end with ";" or ".": it goes on
        joiner = " "  # what the line break stood for: a space, or the comma it ended with
        for line in lines:
            text = st.plain(line.text)
            if not text or st.is_signed_mark(text):
                continue
            bullet = st.BULLET.match(text)
            if bullet:
                open_entry = not bullet[1].rstrip().endswith((";", "."))
                joiner = ", " if bullet[1].rstrip().endswith(",") else " "
                entry = bullet[1].strip().rstrip(";,.").strip()
                archive = re.match(r"^Lưu\s*:?\s*(.*)$", entry)
                if archive:
                    self.spec["archive"] = [
                        p.strip(" .") for p in archive[1].split(",") if p.strip(" .")
                    ]
                elif entry:
                    distribution.append(entry)
            elif st.is_caps(text) and not (distribution and _goes_on(text, joiner)):
                titles.append(text)
            elif st.is_name(text) and not (distribution and _goes_on(text, joiner)):
                names.append(text)
            elif distribution and (open_entry or not titles):
                distribution[-1] = f"{distribution[-1]}{joiner}{text}".rstrip(";,.")
                open_entry = not text.endswith((";", "."))
                joiner = ", " if text.endswith(",") else " "
        self.spec["distribution"] = distribution
        if "drafting_unit" not in self.spec and self.spec.get("archive"):
            self.spec["drafting_unit"] = self.spec["archive"][-1]
        signer: dict[str, Any] = {}
        for title in titles:
            authority = st.AUTHORITY.match(title)
            if (
                authority
                and "authority" not in signer
                and "body" not in signer
                and len(titles) >= 3
            ):
                signer["body"] = authority[2].capitalize()
                if authority[1] != "TM":
                    signer["body_authority"] = authority[1]
            elif authority:
                signer["authority"] = authority[1]
                signer["on_behalf_of"] = authority[2].capitalize()
            else:
                signer["position"] = title.capitalize()
        if names:
            signer["name"] = names[-1]
        if "position" not in signer:
            self.note(lines[-1] if lines else None, "không đọc được chức vụ người ký", "signer")
        self.spec["signer"] = signer


def _goes_on(text: str, joiner: str) -> bool:
    """Whether TEXT is the rest of a Nơi nhận entry whose line ended with a comma, however it
    looks ("GD&ĐT, CT;" after "- Các sở: …, GTVT,"): a signer's title or name ends bare."""
    return joiner == ", " and text.endswith((";", ".", ","))
