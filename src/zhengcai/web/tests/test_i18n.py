"""Translations: complete catalogues, compiled files up to date, Chinese by default."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from zhengcai.core.roles import Role

SRC = Path(__file__).resolve().parents[2]  # src/zhengcai
CATALOGUES = sorted(SRC.glob("*/locale/*/LC_MESSAGES/*.po"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(SRC))


def test_settings_default_to_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_the_web_app_has_a_chinese_catalogue():
    assert (SRC / "web/locale/zh_Hans/LC_MESSAGES/django.po").exists()


@pytest.mark.parametrize("po_path", CATALOGUES, ids=catalogue_id)
def test_catalogue_is_complete(po_path: Path):
    po = polib.pofile(str(po_path))
    # English is the source language: an empty msgstr there simply shows the msgid.
    source_language = po_path.parts[-3] == "en"
    untranslated = [] if source_language else [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, (
        f"{catalogue_id(po_path)}: untranslated entries (run `make messages`, then translate): {untranslated[:10]}"
    )
    assert not fuzzy, f"{catalogue_id(po_path)}: fuzzy entries (check and clear the fuzzy flag): {fuzzy[:10]}"
    if "zh_Hans" in po_path.parts:
        translated = [e for e in po.translated_entries() if HAN.search(e.msgid) is None]
        without_chinese = [e.msgid for e in translated if not HAN.search(e.msgstr or "".join(e.msgstr_plural.values()))]
        # Some entries are legitimately the same in both languages (product names, units,
        # codes); a catalogue that is mostly untranslated copies is not.
        assert len(without_chinese) <= max(3, len(translated) // 10), (
            f"{catalogue_id(po_path)}: msgstr without any Chinese: {without_chinese[:10]}"
        )


def test_app_catalogues_agree_on_shared_strings():
    """Django merges every app's catalogue and the app listed first in INSTALLED_APPS wins
    everywhere, so a msgid (in one context) translated differently by two apps shows the wrong
    words in one of them. Same meaning: use one translation; different meaning: add a context
    (pgettext / {% translate "..." context "..." %})."""
    seen: dict[tuple[str, str, str], dict[tuple[str, ...], list[str]]] = {}
    for po_path in CATALOGUES:
        if po_path.parts[-3] == "en":
            continue
        app = po_path.relative_to(SRC).parts[0]
        for e in polib.pofile(str(po_path)):
            if e.obsolete or not e.translated():
                continue
            values = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)
            key = (po_path.parts[-3], e.msgctxt or "", e.msgid)
            seen.setdefault(key, {}).setdefault(values, []).append(app)
    clashes = [
        f"{lang} {ctx + ' | ' if ctx else ''}{msgid!r}: "
        + "; ".join(f"{' / '.join(v)} ({', '.join(apps)})" for v, apps in by_value.items())
        for (lang, ctx, msgid), by_value in sorted(seen.items())
        if len(by_value) > 1
    ]
    assert not clashes, f"{len(clashes)} strings translated differently by different apps:\n" + "\n".join(clashes)


@pytest.mark.parametrize(
    ("context", "msgid", "expected"),
    [
        (None, "Orders", "订单"),  # the menu item
        ("count", "Orders", "订单数"),  # the orders' figures column
        (None, "Open", "查看"),  # the notification button
        ("status", "Open", "执行中"),  # a budget's status
        (None, "by", "操作人"),
        ("deadline", "by", "截止"),
        (None, "Previous", "上一页"),
        ("picture", "Previous", "上一张"),
        (None, "placed at", "下单时间"),
        ("bid", "placed at", "出价时间"),
        (None, "Region", "区划"),
    ],
)
def test_merged_catalogue_picks_the_meant_translation(context, msgid, expected):
    with translation.override("zh-hans"):
        got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert got == expected


def mo_entries(data: bytes) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """The translations a compiled catalogue holds, keyed by (context, msgid, plural msgid)."""
    result = {}
    for e in polib.mofile(data):
        values = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)
        result[(e.msgctxt or "", e.msgid, e.msgid_plural or "")] = values
    return result


@pytest.mark.parametrize("po_path", CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_is_up_to_date(po_path: Path):
    """The .mo on disk holds exactly what compiling the .po (with polib, in memory) gives."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{catalogue_id(mo_path)} is missing: run `make messages`"
    on_disk = mo_path.read_bytes()
    fresh = polib.pofile(str(po_path)).to_binary()
    if on_disk == fresh:
        return
    # Compiled by another tool (msgfmt): same translations, different byte layout, is fine.
    assert mo_entries(on_disk) == mo_entries(fresh), (
        f"{catalogue_id(mo_path)} does not match its .po file: run `make messages`"
    )


@pytest.mark.django_db
class TestLanguageOfPages:
    def test_home_page_is_chinese_by_default(self, client_for):
        client = client_for(Role.PURCHASER)
        html = client.get(reverse("web:home")).content.decode()
        assert '<html lang="zh-hans">' in html
        assert "采购人工作台" in html
        assert "Purchaser workbench" not in html

    def test_home_page_is_english_after_switching(self, client_for):
        client = client_for(Role.PURCHASER)
        response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert '<html lang="en">' in html
        assert "Purchaser workbench" in html
        assert "采购人工作台" not in html

    def test_switching_back_to_chinese(self, client_for):
        client = client_for(Role.PURCHASER)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        assert "采购人工作台" in client.get(reverse("web:home")).content.decode()

    def test_an_english_browser_still_gets_chinese_until_it_switches(self, client_for):
        client = client_for(Role.PURCHASER)
        html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert '<html lang="zh-hans">' in html
        assert "采购人工作台" in html

    def test_the_api_follows_accept_language(self, client):
        zh = client.get("/api/v1/platform/whoami").json()["error"]["message"]
        en = client.get("/api/v1/platform/whoami", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
        assert "认证" in zh or "登录" in zh
        assert en.startswith("Authentication required")
