"""What the reader makes of a letter: the spec as read, the tasks as the letter labels them,
the doubts with the field each concerns, and the tree of the letter's numbered items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.letterlines import Line


@dataclass(frozen=True)
class Unread:
    """Something the letter says (or leaves blank) that the reader could not turn into data,
    with the field of the spec it concerns."""

    line: int
    text: str
    what: str
    field: str = ""

    def describe(self, file: str) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        where = f"dòng {self.line} («{shown}»)" if self.line else "(cả văn bản)"
        return f"Tệp {file}, {where}: {self.what}"


@dataclass
class Imported:
    """The spec as read (a dict in the shape of DirectiveSpec), the tasks as the letter labels
    them, and what could not be read."""

    spec: dict[str, Any]
    unread: list[Unread] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        """What the letter states, in the shape of the corpus labels (for people and scoring)."""
        spec = self.spec
        recipients: list[str] = []
        for line in spec.get("recipients", []):
            recipients += line.get("units") or [f"?{line.get('label', '')}"]
        signer = spec.get("signer", {})
        body = f"{signer.get('body_authority', 'TM')}. {signer.get('body')}"
        lines = [body] if signer.get("body") else []
        if signer.get("authority"):
            lines.append(f"{signer['authority']}. {signer.get('on_behalf_of', '')}".strip())
        if signer.get("position"):
            lines.append(signer["position"])
        return {
            "kind": spec.get("kind"),
            "issuer": spec.get("issuer"),
            "number": str(spec["number"]) if spec.get("number") else None,
            "symbol": self.facts.get("symbol"),
            "issued_on": spec.get("issued_on"),
            "subject": spec.get("subject"),
            "recipients": recipients,
            "basis": spec.get("basis", []),
            "tasks": self.facts.get("tasks", []),
            "signer_lines": lines,
            "signer_name": signer.get("name"),
            "distribution": spec.get("distribution", []),
            "archive": spec.get("archive", []),
        }


@dataclass
class Node:
    line: Line
    label: str  # as printed: "1.", "a)", "(1)", "-", "" for a paragraph
    text: str
    children: list[Node] = field(default_factory=list)
    read: dict[str, Any] | None = None  # what the item itself states (nothing inherited)

    def whole(self) -> str:
        """The item's text with its unnumbered paragraphs and bullets."""
        return " ".join([self.text, *(c.text for c in self.children if c.label in ("", "-"))])

    def subs(self) -> list[Node]:
        return [c for c in self.children if c.label and c.label != "-"]
