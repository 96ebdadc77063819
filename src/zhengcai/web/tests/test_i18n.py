"""Translations: complete catalogues, compiled files up to date, Chinese by default."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

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
