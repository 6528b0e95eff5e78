"""Who may change what through the browser and the API, asked by every editing service.

The client's analysts and admins edit the client's records; viewers change nothing; a
provider's users answer credits and findings of their own provider's engagements only. An
engagement the principal may not see is *not found* (a provider does not learn that another
provider's engagement exists); a change the principal's role may not make is *forbidden*.
"""

from __future__ import annotations

from sourcewise.governance.records import Engagement
from sourcewise.security.disclosure import Part, sees
from sourcewise.security.users import Principal, Role
from sourcewise.storage.repositories import NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork


class EditForbiddenError(PermissionError):
    """The principal's role may not make this change."""


def require_client_editor(principal: Principal) -> None:
    """Analysts and admins edit the client's governance records."""
    if not principal.can_write:
        raise EditForbiddenError(f"the {principal.role} role cannot change governance records")


def require_provider_of(principal: Principal, engagement: Engagement) -> None:
    """Only the engagement's own provider users answer for the provider."""
    if principal.role is not Role.PROVIDER:
        raise EditForbiddenError("only the provider's users answer for the provider")
    if principal.provider != engagement.provider:
        raise NotFoundError(f"no engagement named '{engagement.name}'")


def require_sees(principal: Principal, part: Part) -> None:
    if not sees(principal.role, part):
        raise EditForbiddenError(f"'{part}' is not shared with {principal.role} users")


def locked_engagement(
    uow: UnitOfWork, principal: Principal, name: str, lock: bool = True
) -> Engagement:
    """The engagement, locked for an edit (unless ``lock`` is False: a read), if the principal
    may see it; ``NotFoundError`` otherwise."""
    if lock:
        uow.engagements.lock(name)
    found = uow.engagements.get(name)
    if found is None or not principal.sees_provider(found.provider):
        raise NotFoundError(f"no engagement named '{name}'")
    return found
