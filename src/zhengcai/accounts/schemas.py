"""JSON shapes of the accounts API: separate input and output schemas per endpoint."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    org_type: str
    role: str
    is_admin: bool
    region_code: str


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str


class MeOut(Schema):
    user: UserOut | None
    current_membership_id: int | None
    organisation_id: int | None
    role: str
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str
    credit_code: str | None
    region_code: str
    region_name: str
    is_active: bool
    created_at: dt.datetime


class OrganisationPageOut(Schema):
    count: int
    items: list[OrganisationOut]


class OrganisationIn(Schema):
    name: str
    org_type: str
    credit_code: str
    region_code: str
