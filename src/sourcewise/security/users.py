"""Users, their roles, and what each role may see and do.

Roles: ``admin`` (everything, including users), ``analyst`` (reads and writes scenarios and
governance data, decides and simulates), ``viewer`` (reads), ``provider`` (a provider's own
staff: reads and submits data of its own engagements only, nothing else). Which parts of those
engagements a provider user is shown is ``security.disclosure``'s to say.

Approving business cases is a grant on top of a role (``approver``), not a role: a CFO is
typically a viewer who approves, an analyst may be one too, a provider user never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"
    PROVIDER = "provider"


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
MIN_PASSWORD_LENGTH = 12


@dataclass(frozen=True, slots=True)
class User:
    username: str
    role: Role
    password_hash: str
    provider: str | None = None
    """For the provider role: the provider whose engagements the user may see."""
    disabled: bool = False
    created_at: datetime | None = None
    approver: bool = False
    """May approve or reject proposed business cases (never a provider user)."""

    @property
    def principal(self) -> Principal:
        return Principal(self.username, self.role, self.provider, self.approver)


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in identity a request acts as."""

    username: str
    role: Role
    provider: str | None = None
    approver: bool = False

    @property
    def can_approve(self) -> bool:
        """May approve or reject a business case someone else proposed (``workspace.approval``):
        a separate grant, so that a CFO can approve without editing scenarios."""
        return self.approver and self.role is not Role.PROVIDER

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_run(self) -> bool:
        """May decide and simulate scenarios (now or as background jobs): the workers are
        shared, so they are for the roles whose work it is, not for read-only ones."""
        return self.role in (Role.ADMIN, Role.ANALYST)

    def sees_provider(self, provider: str) -> bool:
        """Provider users see only their own provider's engagements; others see all."""
        return self.role is not Role.PROVIDER or provider == self.provider

    def may_submit_for(self, provider: str) -> bool:
        """May upload data (KPI measurements) for an engagement with ``provider``."""
        if self.role is Role.PROVIDER:
            return provider == self.provider
        return self.can_write

    @property
    def sees_everything(self) -> bool:
        """Scenarios, locations, the audit log: not for provider users."""
        return self.role is not Role.PROVIDER


@dataclass(frozen=True, slots=True)
class ApiToken:
    name: str
    username: str
    token_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked: bool = False


def check_username(name: str) -> str | None:
    """Why ``name`` is not a valid username, or None."""
    if not USERNAME.match(name):
        return "use 2–64 lower-case letters, digits, '.', '_', '@' or '-'"
    return None


def check_password(password: str) -> str | None:
    """Why ``password`` is too weak, or None (length is what matters; NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 1024:
        return "use at most 1024 characters"
    return None


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str
    username: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime
