"""Input and output schemas of the platform endpoints (one pair per endpoint)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class WhoAmIOut(Schema):
    username: str
    user_id: int | None
    organisation_id: int | None
    organisation_name: str
    org_type: str
    role: str
    region_code: str
    is_org_admin: bool
    is_system: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenCreateOut(Schema):
    token: TokenOut
    secret: str = Field(description="The token itself. Shown only in this response; it is not stored.")
