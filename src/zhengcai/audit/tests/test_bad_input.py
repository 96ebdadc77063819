"""Bad filter input gives a clear error everywhere, never a 500 or a silently empty export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.audit.forms import EventFilterForm
from zhengcai.audit.tests.test_views import client_for, trail  # noqa: F401 - the fixture
from zhengcai.core.roles import OrgType

pytestmark = pytest.mark.django_db

API = "/api/v1/audit/events"

BAD = [
    ({"actor": "²"}, None),  # a "digit" int() refuses: searched as a name, not an id
    ({"actor": "99999999999999999999999"}, None),  # too large for an id: a name fragment
    ({"time_to": "9999-12-31"}, "time_to"),
    ({"time_from": "0001-01-01"}, "time_from"),
    ({"time_from": "0001-01-01T00:00+00:00"}, "time_from"),
    ({"time_to": "9999-12-31T23:59"}, "time_to"),
    ({"organisation": "99999999999999999999"}, "organisation"),
    ({"organisation": "²"}, "organisation"),
]


@pytest.fixture
def regulator(trail) -> Client:  # noqa: F811
    return client_for(OrgType.REGULATOR, "330800", "city")


@pytest.mark.parametrize(("query", "field"), BAD)
def test_form_never_raises(query, field):
    form = EventFilterForm(query)
    assert form.is_valid() is (field is None)
    if field is not None:
        assert form.errors[field]
    else:
        form.filters()


@pytest.mark.parametrize(("query", "field"), BAD)
def test_viewer(regulator, query, field):
    response = regulator.get(reverse("audit:events"), query)
    assert response.status_code == 200
    if field is not None:
        assert response.context["page"] is None
        assert response.context["form"].errors[field]


@pytest.mark.parametrize(("query", "field"), BAD)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports(regulator, query, field, fmt):
    response = regulator.get(reverse("audit:events_export", args=[fmt]), query)
    if field is None:
        assert response.status_code == 200
        if fmt == "csv":
            b"".join(response.streaming_content)
        return
    assert response.status_code == 400
    assert not response.streaming
    assert "attachment" not in response.get("Content-Disposition", "")
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(("query", "field"), BAD)
def test_api(regulator, query, field):
    response = regulator.get(API, query)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["fields"][field]


def test_out_of_range_message_is_clear(regulator):
    response = regulator.get(reverse("audit:events_export", args=["csv"]), {"time_from": "0001-01-01"})
    assert "1900" in response.content.decode()
    message = regulator.get(API, {"time_to": "9999-12-31"}).json()["error"]["fields"]["time_to"][0]
    assert "1900" in message
    assert "2999" in message


def test_range_edges_are_accepted(regulator):
    assert regulator.get(API, {"time_from": "1900-01-01", "time_to": "2999-12-31"}).status_code == 200


def test_csv_export_has_every_row(trail, regulator):  # noqa: F811
    response = regulator.get(reverse("audit:events_export", args=["csv"]), {"time_from": "1900-01-01"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:] if not r[6].startswith("accounts.")] == ["5", "3", "2", "1"]
