"""/api/v1/notifications/: the caller's own notifications, the same services as the pages."""

from __future__ import annotations

import pytest

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import make_actor
from zhengcai.audit.models import AuditEvent
from zhengcai.notify.models import Notification
from zhengcai.notify.tests.helpers import deliver_in_app, sender

BASE = "/api/v1/notifications/"


@pytest.fixture
def setup(client, frozen_clock):
    me = make_actor()
    other = make_actor()
    src = sender()
    mine = [deliver_in_app(actor=src, recipient_id=me.user_id, key=f"m{i}", title=f"Mine {i}") for i in range(3)]
    theirs = deliver_in_app(actor=src, recipient_id=other.user_id, key="t", title="Theirs")
    client.force_login(User.objects.get(pk=me.user_id))
    return client, me, mine, theirs


@pytest.mark.django_db
def test_list_returns_only_own_unread_first(setup):
    client, _, mine, _ = setup
    Notification.objects.filter(pk=mine[0].pk).update(read_at=mine[0].created_at)
    data = client.get(BASE).json()
    assert data["count"] == 3
    titles = [n["title"] for n in data["items"]]
    assert "Theirs" not in titles
    assert titles[-1] == "Mine 0"
    assert data["items"][0]["is_read"] is False
    unread = client.get(BASE, {"unread": "true", "limit": 1}).json()
    assert unread["count"] == 2
    assert len(unread["items"]) == 1


@pytest.mark.django_db
def test_limit_is_bounded(setup):
    client, *_ = setup
    assert client.get(BASE, {"limit": 10000}).status_code in {400, 422}


@pytest.mark.django_db
def test_unread_count_and_mark_read(setup, frozen_clock):
    client, me, mine, _ = setup
    assert client.get(BASE + "unread-count").json() == {"unread": 3}
    response = client.post(f"{BASE}{mine[1].pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.get(BASE + "unread-count").json() == {"unread": 2}
    assert AuditEvent.objects.filter(action="notify.notification.read", actor_id=me.user_id).count() == 1


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found_and_unchanged(setup):
    client, _, _, theirs = setup
    for pk in (theirs.pk, 999999):
        response = client.post(f"{BASE}{pk}/read")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read(setup):
    client, _, _, theirs = setup
    assert client.post(BASE + "read-all").json() == {"marked": 3}
    assert client.post(BASE + "read-all").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_anonymous_caller_is_refused(client):
    response = client.get(BASE)
    assert response.status_code == 401
