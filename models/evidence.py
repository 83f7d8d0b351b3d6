"""Evidence files (tài liệu kiểm chứng): checked, then stored once under the hash of their bytes."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from models.errors import InputError
from models.limits import MAX_EVIDENCE_BYTES

# What each accepted kind of file starts with: its type is told by its content, not its name.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
KINDS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".zip": ("application/zip", _ZIP),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


@dataclass(frozen=True)
class Evidence:
    sha256: str
    filename: str
    size: int
    content_type: str
    data: bytes


def read_evidence(path: Path, field: str) -> Evidence:
    """Read and check one file given by path: a regular file (not a link, not a folder)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise InputError.one(path, field, str(path), "không tìm thấy tệp kiểm chứng") from None
    except OSError as exc:
        raise InputError.one(path, field, str(path), f"không đọc được ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise InputError.one(path, field, str(path), "là liên kết (symlink): hãy gửi chính tệp")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.one(path, field, str(path), "không phải là một tệp (là thư mục?)")
    _check_size(path.name, info.st_size, field, path)
    with path.open("rb") as handle:  # never more than the limit, whatever the file grew to
        data = handle.read(MAX_EVIDENCE_BYTES + 1)
    return evidence_of(path.name, data, field, path)


def _check_size(name: str, size: int, field: str, where: Path | str) -> None:
    if size > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // 1024 // 1024
        raise InputError.one(where, field, f"{size} byte", f"tệp quá lớn; tối đa {limit} MB")
    if size == 0:
        raise InputError.one(where, field, "0 byte", "tệp rỗng")


def evidence_of(name: str, data: bytes, field: str, where: Path | str) -> Evidence:
    """Check an evidence file's name, size and content (uploaded or read from disk)."""
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        allowed = ", ".join(sorted(KINDS))
        raise InputError.one(where, field, name, f"loại tệp không được nhận; chỉ nhận {allowed}")
    _check_size(name, len(data), field, where)
    content_type, starts = KINDS[suffix]
    if not data.startswith(starts):
        raise InputError.one(
            where,
            field,
            name,
            f"nội dung tệp không phải {suffix} như tên tệp (đã kiểm tra nội dung)",
        )
    return Evidence(
        hashlib.sha256(data).hexdigest(), Path(name).name, len(data), content_type, data
    )


def evidence_path(folder: Path, evidence: Evidence) -> Path:
    return folder / evidence.sha256[:2] / evidence.sha256
