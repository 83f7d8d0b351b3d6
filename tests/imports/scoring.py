"""Scoring an import against a corpus label (format: corpus/LABELS.md): one field per scalar and
per list element, compared the way a clerk would read them (case, spacing, tone placement and
"UBND"/"Ủy ban nhân dân" do not count; units as sets, groups expanded to their members)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models.importing import Imported, key
from models.org import OrgTree

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass
class Score:
    right: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, name: str, expected: Any, read: Any) -> None:
        self.total += 1
        if expected == read:
            self.right += 1
        else:
            self.wrong.append(f"{name}: {expected!r} ≠ {read!r}")


@dataclass(frozen=True)
class Labelled:
    name: str
    file: Path
    org: Path
    received_on: dt.date | None
    expect: dict[str, Any]


def labelled(corpus: str) -> list[Labelled]:
    folder = CORPUS / corpus
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    return [
        Labelled(
            name,
            folder / entry["file"],
            folder / entry["org"],
            entry.get("received_on"),
            entry["expect"],
        )
        for name, entry in labels.items()
    ]


def _text(value: Any) -> Any:
    if value is None:
        return None
    text = key(str(value)).replace("ủy ban nhân dân", "ubnd")
    return text.replace("hội đồng nhân dân", "hđnd")


def _units(org: OrgTree, refs: list[str] | None) -> frozenset[str]:
    out: set[str] = set()
    for ref in refs or []:
        if ref in org.groups or ref in org.units:
            out.update(u.code for u in org.expand(ref))
        else:
            out.add(ref)
    return frozenset(out)


def _deadline(value: dict[str, Any] | None) -> Any:
    if not value:
        return None
    return {k: str(v) for k, v in value.items()}


def score(label: Labelled, imported: Imported, org: OrgTree) -> Score:
    """Fields right over fields labelled."""
    s = Score()
    read = imported.view()
    expect = label.expect
    for name in ("kind", "issuer", "number", "symbol", "issued_on"):
        if name in expect:
            want = expect[name]
            s.add(name, str(want) if want is not None else None, read.get(name))
    if "subject" in expect:
        s.add("subject", _text(expect["subject"]), _text(read.get("subject")))
    recipients = [_text(r) if str(r).startswith("?") else r for r in read.get("recipients", [])]
    for n, want in enumerate(expect.get("recipients") or []):
        want = _text(want) if str(want).startswith("?") else want
        s.add(f"recipients[{n + 1}]", want, want if want in recipients else None)
    got_basis = [
        (_text(b["kind"]), b["number"], str(b["date"]), _text(b["issuer"]))
        for b in read.get("basis", [])
    ]
    for n, b in enumerate(expect.get("basis") or []):
        want = (_text(b["kind"]), b["number"], str(b["date"]), _text(b["issuer"]))
        s.add(f"basis[{n + 1}]", want, want if want in got_basis else None)
    tasks = {t["label"]: t for t in read.get("tasks", [])}
    for t in expect.get("tasks") or []:
        got = tasks.get(t["label"], {})
        where = f"task {t['label']}"
        for part in ("lead", "cooperating"):
            if part in t:
                s.add(f"{where} {part}", _units(org, t[part]), _units(org, got.get(part)))
        if "report_to" in t:
            s.add(f"{where} report_to", t["report_to"], got.get("report_to"))
        if "product" in t:
            s.add(f"{where} product", _text(t["product"]), _text(got.get("product")))
        if "deadline" in t:
            s.add(f"{where} deadline", _deadline(t["deadline"]), _deadline(got.get("deadline")))
    signer = expect.get("signer") or {}
    lines = [_text(x) for x in read.get("signer_lines", [])]
    for n, want in enumerate(signer.get("lines") or []):
        got_line = lines[n] if n < len(lines) else None
        s.add(f"signer.lines[{n + 1}]", _text(want), got_line)
    if "name" in signer:
        s.add("signer.name", _text(signer["name"]), _text(read.get("signer_name")))
    distribution = [_text(x) for x in read.get("distribution", [])]
    for n, want in enumerate(expect.get("distribution") or []):
        s.add(
            f"distribution[{n + 1}]",
            _text(want),
            _text(want) if _text(want) in distribution else None,
        )
    archive = [_text(x) for x in read.get("archive", [])]
    for n, want in enumerate(expect.get("archive") or []):
        s.add(f"archive[{n + 1}]", _text(want), _text(want) if _text(want) in archive else None)
    return s
