"""Who is acting: the user and the organisation they act for right now.

Every service and selector takes an ``Actor``. It is built once per request by
``accounts.middleware.ActorMiddleware`` (or per API call from a system token) and is a
plain value so that ``core`` and ``audit`` need not import the accounts models.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    organisation_id: int | None = None
    organisation_name: str = ""
    org_type: str = ""
    role: str = ""
    region_code: str = ""
    membership_id: int | None = None
    is_org_admin: bool = False
    is_system: bool = False  # a system token (API) or the platform itself (worker, seed)

    @property
    def label(self) -> str:
        """A human label kept in the audit trail even if the user is renamed later."""
        if self.organisation_name:
            return f"{self.username} @ {self.organisation_name}"
        return self.username

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


SYSTEM = Actor(user_id=None, username="system", is_system=True)
