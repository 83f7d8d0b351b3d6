"""When the machine fails chidao — a full disk, a read-only folder, a database file that is not
one, a PostgreSQL server that went away — the user reads what happened in Vietnamese, where,
and what to do; never a traceback."""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy import exc as sql

from models.errors import FaultError, Problem

_ERRNO = {
    errno.ENOSPC: "ổ đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại",
    errno.EDQUOT: "đã hết hạn mức dung lượng; hãy giải phóng chỗ trống rồi chạy lại",
    errno.EROFS: "thư mục chỉ cho đọc, không ghi được; hãy chọn thư mục khác (CHIDAO_HOME)",
    errno.EACCES: "không có quyền ghi hoặc đọc ở đây; hãy kiểm tra quyền của thư mục",
    errno.EPERM: "không được phép ghi hoặc đọc ở đây; hãy kiểm tra quyền của thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp; hãy cho một tên tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EEXIST: "đường dẫn này là một tệp, không phải thư mục; hãy cho một thư mục",
    errno.ENOENT: "không tìm thấy thư mục hoặc tệp",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
}
_DATABASE = (
    ("not a database", "tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu"),
    ("malformed", "tệp cơ sở dữ liệu bị hỏng"),
    ("disk i/o error", "lỗi đọc ghi của ổ đĩa khi dùng cơ sở dữ liệu"),
    ("readonly database", "cơ sở dữ liệu chỉ cho đọc, không ghi được"),
    ("unable to open database", "không mở được tệp cơ sở dữ liệu (thư mục không ghi được?)"),
    ("database or disk is full", "ổ đĩa đã đầy"),
    ("connection refused", "không kết nối được máy chủ PostgreSQL"),
    ("server closed the connection", "máy chủ PostgreSQL đã ngắt kết nối giữa chừng"),
    ("terminating connection", "máy chủ PostgreSQL đã ngắt kết nối giữa chừng"),
    ("does not exist", "cơ sở dữ liệu PostgreSQL không còn"),
    ("connection", "mất kết nối với cơ sở dữ liệu"),
)
_AFTER = "; không có gì được ghi dở: sửa xong rồi chạy lại lệnh"


def as_fault(error: BaseException) -> FaultError | None:
    """The fault ERROR stands for, worded for the user; None when it is not the machine's."""
    if isinstance(error, OSError) and error.errno in _ERRNO:
        where = error.filename or "(hệ thống tệp)"
        return FaultError([Problem(str(where), "(tệp)", None, _ERRNO[error.errno] + _AFTER)])
    if isinstance(error, sql.DBAPIError | sqlite3.DatabaseError):
        text = str(getattr(error, "orig", error) or error).lower()
        message = next((m for key, m in _DATABASE if key in text), None)
        if message is None and isinstance(error, sql.OperationalError | sql.InterfaceError):
            message = "không dùng được cơ sở dữ liệu"
        if message is not None:
            return FaultError([Problem("(cơ sở dữ liệu)", "kết nối", None, message + _AFTER)])
    return None
