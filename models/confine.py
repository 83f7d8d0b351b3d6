"""Paths typed into a Prefect form are read by a worker with the office's rights: they must lie
in the office's own folders (CHIDAO_FILES), be regular files, and what they hold is never echoed
back into a run's state or logs."""

from __future__ import annotations

from pathlib import Path

from models.errors import InputError
from models.settings import settings


def confined(value: str, field: str) -> Path:
    """VALUE as a path inside one of the folders forms may read, else refused naming FIELD."""
    path = Path(value)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError.one("(biểu mẫu)", field, value, "không tìm thấy tệp") from None
    folders = settings().readable()
    if not any(resolved.is_relative_to(folder) for folder in folders):
        where = ", ".join(str(f) for f in folders)
        message = f"tệp nằm ngoài các thư mục được phép đọc ({where}; biến CHIDAO_FILES)"
        raise InputError.one("(biểu mẫu)", field, value, message)
    if not resolved.is_file():
        raise InputError.one("(biểu mẫu)", field, value, "không phải là một tệp")
    return resolved
