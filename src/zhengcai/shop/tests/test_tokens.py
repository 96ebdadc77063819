from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhengcai.shop.tokens import index_text, index_tokens, model_key, query_terms


def test_cjk_runs_give_unigrams_and_bigrams():
    assert index_tokens("硒鼓粉盒") == ["硒", "鼓", "粉", "盒", "硒鼓", "鼓粉", "粉盒"]


def test_single_cjk_character_is_its_own_token():
    assert index_tokens("纸") == ["纸"]
    assert query_terms("纸") == ["纸"]


def test_query_of_two_or_more_characters_needs_its_bigrams():
    assert query_terms("打印") == ["打印"]
    assert query_terms("打印纸") == ["打印", "印纸"]


def test_model_numbers_are_lowercased_and_split_at_letter_digit_boundaries():
    assert index_tokens("M1136") == ["m1136", "m", "1136"]
    assert index_tokens("LJ2405D") == ["lj2405d", "lj", "2405", "d"]
    assert index_tokens("A4") == ["a4", "a", "4"]
    assert query_terms("M1136") == ["m1136"]


def test_mixed_text_and_full_width_characters():
    tokens = index_tokens("惠普（HP）LaserJet Pro M1136 Ａ４")
    assert {"惠普", "hp", "laserjet", "pro", "m1136", "a4"} <= set(tokens)
    assert query_terms("A4 打印纸") == ["a4", "打印", "印纸"]
    assert query_terms("惠普 M1136") == ["惠普", "m1136"]


def test_punctuation_separates_and_decimals_stay_whole():
    assert query_terms("DL-7401") == ["dl", "7401"]
    assert "1.5" in index_tokens("1.5匹")
    assert index_tokens("，。！") == []
    assert query_terms("   ") == []


def test_model_key_joins_a_model_number():
    assert model_key("DL-7401") == "dl7401"
    assert model_key("LaserJet Pro M1136") == "laserjetprom1136"


def test_query_terms_have_no_duplicates_and_keep_order():
    assert query_terms("打印 打印 A4 a4") == ["打印", "a4"]


def test_index_text_joins_tokens_with_spaces():
    assert index_text("复印纸", "", "A4") == "复 印 纸 复印 印纸 a4 a 4"


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40)
TEXT = st.text(alphabet=st.one_of(CJK, st.sampled_from("abcXYZ0123 -（）")), max_size=40)


@given(TEXT, st.data())
def test_any_substring_of_a_text_finds_the_text(text: str, data: st.DataObject):
    """Whatever contiguous piece of a title a shopper types, all its terms are in the title's tokens
    (for Han runs and whole words; a word cut in the middle is a different word)."""
    tokens = set(index_tokens(text))
    if text:
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        piece = text[start:end]
        if all("\u4e00" <= ch <= "\u9fff" for ch in piece):
            assert set(query_terms(piece)) <= tokens
    for word in text.split():
        assert set(query_terms(word)) <= tokens


@given(st.text(max_size=60))
def test_tokens_never_contain_whitespace_and_are_lowercase(text: str):
    for token in index_tokens(text) + query_terms(text):
        assert token
        assert not any(ch.isspace() for ch in token)
        assert token == token.lower()
