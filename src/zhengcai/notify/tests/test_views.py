"""The notification centre: own notifications only, read marking audited, works with and without htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import make_actor
from zhengcai.audit.models import AuditEvent
from zhengcai.notify.models import Notification
from zhengcai.notify.tests.helpers import deliver_in_app, sender


@pytest.fixture
def me():
    actor = make_actor()
    return actor, User.objects.get(pk=actor.user_id)


@pytest.fixture
def logged_in(client, me):
    client.force_login(me[1])
    return client


@pytest.fixture
def mine_and_theirs(me, frozen_clock):
    _, user = me
    other = make_actor()
    src = sender()
    old = deliver_in_app(actor=src, recipient_id=user.pk, key="k1", title="Older notice", url="/plans/1/")
    frozen_clock.advance(dt.timedelta(minutes=5))
    new = deliver_in_app(actor=src, recipient_id=user.pk, key="k2", title="Newer notice")
    theirs = deliver_in_app(actor=src, recipient_id=other.user_id, key="k3", title="Someone else's notice")
    return old, new, theirs


@pytest.mark.django_db
def test_list_shows_own_notifications_unread_first(logged_in, mine_and_theirs, me):
    _, new, _ = mine_and_theirs
    Notification.objects.filter(pk=new.pk).update(read_at=new.created_at)
    response = logged_in.get(reverse("notify:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else" not in html
    assert html.index("Older notice") < html.index("Newer notice")  # unread before read
    unread = logged_in.get(reverse("notify:list") + "?filter=unread").content.decode()
    assert "Older notice" in unread
    assert "Newer notice" not in unread


@pytest.mark.django_db
def test_list_is_in_chinese_by_default(logged_in, mine_and_theirs):
    html = logged_in.get(reverse("notify:list")).content.decode()
    assert "通知" in html
    assert "全部标为已读" in html


@pytest.mark.django_db
def test_mark_read_without_js_redirects_back_and_is_audited(logged_in, mine_and_theirs, me, frozen_clock):
    old, _, _ = mine_and_theirs
    back = reverse("notify:list") + "?filter=unread"
    response = logged_in.post(reverse("notify:mark_read", args=[old.pk]), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    old.refresh_from_db()
    assert old.read_at == frozen_clock.now()
    event = AuditEvent.objects.get(action="notify.notification.read")
    assert (event.actor_id, event.object_id) == (me[0].user_id, str(old.pk))
    # Marking it again changes nothing and writes no second event.
    logged_in.post(reverse("notify:mark_read", args=[old.pk]))
    assert AuditEvent.objects.filter(action="notify.notification.read").count() == 1


@pytest.mark.django_db
def test_mark_read_refuses_outside_redirect_target(logged_in, mine_and_theirs):
    old, _, _ = mine_and_theirs
    response = logged_in.post(reverse("notify:mark_read", args=[old.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notify:list")


@pytest.mark.django_db
def test_mark_read_with_htmx_returns_the_item_and_refreshes_the_bell(logged_in, mine_and_theirs):
    old, _, _ = mine_and_theirs
    response = logged_in.post(reverse("notify:mark_read", args=[old.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notify-changed"
    html = response.content.decode()
    assert f'id="notification-{old.pk}"' in html
    assert 'data-read="true"' in html
    assert 'hx-swap-oob="true"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_someone_elses_notification_is_not_found_and_unchanged(logged_in, mine_and_theirs, htmx):
    _, _, theirs = mine_and_theirs
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for name in ("notify:mark_read", "notify:open"):
        response = logged_in.post(reverse(name, args=[theirs.pk]), **headers)
        assert response.status_code == 404
    missing = logged_in.post(reverse("notify:mark_read", args=[999999]), **headers)
    assert missing.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not AuditEvent.objects.filter(action__startswith="notify.").exists()


@pytest.mark.django_db
def test_mark_all_read_touches_only_own(logged_in, mine_and_theirs):
    old, new, theirs = mine_and_theirs
    response = logged_in.post(reverse("notify:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[old.pk, new.pk], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    event = AuditEvent.objects.get(action="notify.notification.read_all")
    assert event.data["count"] == 2
    # Nothing left: no second event.
    logged_in.post(reverse("notify:mark_all_read"))
    assert AuditEvent.objects.filter(action="notify.notification.read_all").count() == 1


@pytest.mark.django_db
def test_mark_all_read_with_htmx_returns_the_list(logged_in, mine_and_theirs):
    response = logged_in.post(reverse("notify:mark_all_read"), {"filter": "unread"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notify-changed"
    assert 'id="notify-list"' in response.content.decode()
    assert 'data-testid="notify-empty"' in response.content.decode()


@pytest.mark.django_db
def test_open_marks_read_and_follows_the_link(logged_in, mine_and_theirs):
    old, new, _ = mine_and_theirs
    response = logged_in.post(reverse("notify:open", args=[old.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/plans/1/"
    old.refresh_from_db()
    assert old.read_at is not None
    # Without a link, back to the centre.
    assert logged_in.post(reverse("notify:open", args=[new.pk]))["Location"] == reverse("notify:list")


@pytest.mark.django_db
def test_actions_need_post(logged_in, mine_and_theirs):
    old, _, _ = mine_and_theirs
    assert logged_in.get(reverse("notify:mark_read", args=[old.pk])).status_code == 405
    assert logged_in.get(reverse("notify:mark_all_read")).status_code == 405
    old.refresh_from_db()
    assert old.read_at is None


@pytest.mark.django_db
def test_unread_count_badge(client, logged_in, mine_and_theirs, me):
    response = logged_in.get(reverse("notify:unread_count"))
    assert response.status_code == 200
    assert 'data-testid="notify-badge"' in response.content.decode()
    assert ">2<" in response.content.decode()
    logged_in.post(reverse("notify:mark_all_read"))
    assert "notify-badge" not in logged_in.get(reverse("notify:unread_count")).content.decode()


@pytest.mark.django_db
def test_unread_count_for_an_expired_session_is_empty_not_a_login_page(client):
    response = client.get(reverse("notify:unread_count"))
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


@pytest.mark.django_db
def test_list_requires_login(client):
    response = client.get(reverse("notify:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_bell_template_polls_the_count():
    html = render_to_string("notify/_bell.html")
    assert reverse("notify:list") in html
    assert f'hx-get="{reverse("notify:unread_count")}"' in html
    assert 'hx-trigger="load, every 30s, notify-changed from:body"' in html
