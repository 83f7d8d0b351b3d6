"""The states and kinds chidao records, each with its Vietnamese label defined here once."""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A stored value (the database keeps the English code) with the label users read."""

    label: str  # set per member from its definition below

    def __new__(cls, value: str, label: str = "") -> _Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class AssignmentState(_Labelled):
    """Where an assignment (việc được giao) stands."""

    ASSIGNED = "assigned", "Đã giao, chưa báo cáo"
    REPORTED = "reported", "Đã báo cáo, chờ xem xét"
    ACCEPTED = "accepted", "Đã được chấp nhận"
    RETURNED = "returned", "Bị trả lại, chưa báo cáo lại"

    @property
    def owed(self) -> bool:
        """Still owed by the unit, so it can be late."""
        return self in (AssignmentState.ASSIGNED, AssignmentState.RETURNED)

    @property
    def as_reported(self) -> str:
        """How a report to the issuer puts it: whether the unit has reported."""
        return "Chưa báo cáo" if self.owed else "Đã báo cáo"


OWED = tuple(s.value for s in AssignmentState if s.owed)
ANSWERED = (AssignmentState.REPORTED.value, AssignmentState.ACCEPTED.value)


class Role(_Labelled):
    """A unit's part in a task: it leads (chủ trì) or cooperates (phối hợp)."""

    LEAD = "lead", "chủ trì"
    COOPERATING = "cooperating", "phối hợp"


class LetterKind(_Labelled):
    """What a letter chidao keeps is (loại văn bản đi)."""

    DIRECTIVE = "chi_dao", "Văn bản chỉ đạo"
    IMPLEMENTING = "trien_khai", "Văn bản triển khai"
    URGING = "don_doc", "Công văn đôn đốc"
    ESCALATION = "bao_cao_cham", "Báo cáo đơn vị chậm thực hiện"
    ROLLUP = "bao_cao_len", "Báo cáo kết quả lên cấp trên"
    SYNTHESIS = "tong_hop", "Báo cáo tổng hợp"


class LetterState(_Labelled):
    """A letter is a draft (dự thảo) until a named person releases it (phát hành) with a number."""

    DRAFT = "draft", "Dự thảo, chờ phát hành"
    RELEASED = "released", "Đã phát hành"


class AccountRole(_Labelled):
    """What a person's account may do in the portal, within its unit (README, "Roles")."""

    CLERK = "clerk", "Văn thư / chuyên viên"
    HEAD = "head", "Lãnh đạo đơn vị"
    COORDINATOR = "coordinator", "Cơ quan thường trực (Nội vụ)"
    ADMIN = "admin", "Quản trị hệ thống"


class Band(_Labelled):
    """Where an assignment stands against its deadline, as the inbox and the board colour it."""

    NOT_DUE = "not_due", "Chưa đến hạn"
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OVERDUE = "overdue", "Quá hạn"
    EXTENDED = "extended", "Đã gia hạn"
    ON_TIME = "on_time", "Đã báo cáo đúng hạn"
    REPORTED_LATE = "reported_late", "Báo cáo trễ"
    ACCEPTED = "accepted", "Đã được chấp nhận"
    RETURNED = "returned", "Bị trả lại"


class RequestState(_Labelled):
    """A unit's request for more time (đề nghị gia hạn), until the coordinator decides."""

    PENDING = "pending", "Chờ quyết định"
    GRANTED = "granted", "Đã đồng ý gia hạn"
    REFUSED = "refused", "Không đồng ý gia hạn"


class MailState(_Labelled):
    """An email in the outbox."""

    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi không được"
    NONE = "none", "Không gửi email"
