"""Who decides and who reads the rights workflows' queues: the reporting department, the operator.

Plain Python. An objection or a repair application is decided by the
department that reported the record (for a list entry, the department of its
first basis record); the operator may decide any and sees every queue.
"""

from __future__ import annotations

from xinyong.keys.model import Principal, Role
from xinyong.rights.errors import QueueForbiddenError


def may_decide(principal: Principal, department: str) -> bool:
    """Whether ``principal`` decides a case of ``department``."""
    return principal.role is Role.OPERATOR or (
        principal.role is Role.DEPARTMENT and principal.department == department
    )


def queue_of(principal: Principal) -> str | None:
    """The department whose cases the principal reads (None: all, for the operator)."""
    if principal.role is Role.OPERATOR:
        return None
    if principal.role is Role.DEPARTMENT and principal.department is not None:
        return principal.department
    raise QueueForbiddenError(caller=principal.role.value)
