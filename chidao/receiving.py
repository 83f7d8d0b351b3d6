"""`chidao import`: a received letter (văn bản đến) read into a spec marked "chưa kiểm tra",
entered in the received-letters register; `--check` takes the mark off once a person has read
it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from chidao.commands import _actor, _date
from models import clock
from models.calendar import WorkingCalendar
from models.directive import Directive
from models.errors import InputError
from models.files import write_atomic
from models.importing import (
    Imported,
    Unread,
    checked_text,
    implementing_letter,
    import_letter,
    letter_spec,
    org_reference,
    received_entry,
    spec_yaml,
    task_lines,
)
from models.letterfile import read_letter
from models.org import OrgTree
from models.received import ReceivedRecord, enter
from models.settings import settings
from models.store import Store
from models.vntext import short_date
from renderer import wording


def import_letter_file(args: argparse.Namespace) -> int:
    if args.check:
        return _check_spec(args.file)
    org_path = args.org or settings().org
    if org_path is None:
        raise InputError.one(
            args.file, "--org", None, "hãy cho cây tổ chức để khớp các đơn vị (--org TỆP.yaml)"
        )
    received_on = _date(args.received_on, "--received-on") if args.received_on else clock.today()
    planned = _date(args.issued_on, "--issued-on").isoformat() if args.issued_on else None
    org = OrgTree.load(org_path)
    imported = import_letter(
        read_letter(args.file), org, org_reference(org_path, args.output), str(args.file)
    )
    data = imported.spec
    data["received_on"] = received_on.isoformat()
    if planned:
        if data.get("issued_on") not in (None, planned):
            raise InputError.one(
                args.file,
                "--issued-on",
                args.issued_on,
                f"văn bản ghi ngày ban hành {data['issued_on']}; chỉ cho --issued-on khi văn bản "
                "để trống ngày",
            )
        data["issued_on"] = planned
    notes = list(imported.unread)
    if args.implement_as:
        try:
            say = wording("trien_khai.txt.j2")
            spec = implementing_letter(data, org, args.file, args.implement_as, args.lead_days, say)
        except InputError:
            for note in notes:
                print(f"Chưa đọc được: {note.describe(str(args.file))}", file=sys.stderr)
            raise
        data = spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data = {"org": spec.org, "kind": spec.kind.value, **data}
    else:
        try:
            letter_spec(data, org, args.file)
        except InputError as error:
            notes += [Unread(0, "", p.message, p.field) for p in error.problems]
    text = spec_yaml(data, f"Đọc từ {args.file.name} bằng «chidao import»", notes, str(args.file))
    entry = _enter_received(args, org, imported, received_on)
    for note in notes:
        print(f"Lưu ý: {note.describe(str(args.file))}", file=sys.stderr)
    summary = sys.stdout
    if args.output is None:
        print(text, end="")
        summary = sys.stderr  # keep standard output a YAML file
    else:
        write_atomic(args.output, text.encode())
        what = "Văn bản triển khai" if args.implement_as else "Tệp mô tả"
        print(
            f"{what} đã ghi: {args.output} ({len(data.get('items', []))} mục, {len(notes)} lưu ý; "
            "chưa kiểm tra)"
        )
    print(
        f"Vào sổ văn bản đến của {entry.receiver_code}: số đến {entry.number_in}, "
        f"ngày đến {short_date(entry.received_on)}",
        file=summary,
    )
    print("\n".join(task_lines(imported, org, WorkingCalendar.load())), file=summary)
    return 0


def _enter_received(
    args: argparse.Namespace, org: OrgTree, imported: Imported, received_on: dt.date
) -> ReceivedRecord:
    """The letter in the receiving office's register (the tree's own unit unless named)."""
    root = next(u.code for u in org.walk() if u.parent is None)
    receiver = args.received_by or args.implement_as or root
    if receiver not in org.units:
        raise InputError.one(args.file, "--received-by", receiver, "đơn vị không có trong cây")
    letter = received_entry(imported, org, args.file.name, args.file.read_bytes())
    store = Store.open()
    store.sync_units(org, _actor())
    with store.session() as session:
        return enter(session, receiver=receiver, received_on=received_on, letter=letter)


def _check_spec(path: Path) -> int:
    """A person has checked an imported spec: it must now hold as a letter; then the mark
    "chưa kiểm tra" is taken off, comments kept."""
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    if text is None:
        raise InputError.one(path, "(tệp)", str(path), "không tìm thấy tệp")
    directive = Directive.load(path)
    write_atomic(path, checked_text(text).encode())
    print(f"Đã kiểm tra: {path} ({len(directive.spec.items)} mục); có thể phát hành.")
    print(_tasks_text_of(directive))
    return 0


def _tasks_text_of(directive: Directive) -> str:
    calendar = WorkingCalendar.load()
    lines = []
    for task in directive.tasks():
        who = ", ".join(u.name for u in task.lead) or "(chưa rõ đơn vị chủ trì)"
        due = (
            task.deadline.due_on(directive.spec.issued_on, calendar, directive.spec.received_on)
            if task.deadline
            else None
        )
        when = f"hạn cuối {short_date(due)}" if due else "không có hạn cuối"
        lines.append(f"  Mục {task.label} {when}; chủ trì: {who}")
    return "\n".join(lines)
