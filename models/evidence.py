"""Evidence files (tài liệu kiểm chứng): checked, then stored once under the hash of their bytes."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from models.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
ALLOWED = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
}


@dataclass(frozen=True)
class Evidence:
    sha256: str
    filename: str
    size: int
    content_type: str
    data: bytes


def read_evidence(path: Path, field: str) -> Evidence:
    """Read and check one file; problems name the file and the command-line field."""
    suffix = path.suffix.lower()
    if suffix not in ALLOWED:
        allowed = ", ".join(sorted(ALLOWED))
        raise InputError.one(
            path, field, path.name, f"loại tệp không được nhận; chỉ nhận {allowed}"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError.one(path, field, str(path), "không tìm thấy tệp kiểm chứng") from None
    if size > MAX_BYTES:
        raise InputError.one(
            path, field, f"{size} byte", f"tệp quá lớn; tối đa {MAX_BYTES // 1024 // 1024} MB"
        )
    if size == 0:
        raise InputError.one(path, field, "0 byte", "tệp rỗng")
    data = path.read_bytes()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Evidence(hashlib.sha256(data).hexdigest(), path.name, size, content_type, data)


def evidence_path(folder: Path, evidence: Evidence) -> Path:
    return folder / evidence.sha256[:2] / evidence.sha256
