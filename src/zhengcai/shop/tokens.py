"""Tokens for Chinese product search (分词): pure functions, no Django.

Chinese has no spaces, and product titles mix Han characters with model numbers
("惠普（HP）LaserJet Pro M1136 黑白激光多功能一体机 A4"). Rather than a dictionary
segmenter, the index holds every Han character (unigram) and every pair of neighbours
(bigram), the way Lucene's CJKAnalyzer does; Latin/digit runs become lowercased words, with
the letter/digit parts of model numbers as extra tokens ("M1136" -> m1136, m, 1136).

A query then needs no dictionary either: a 1-character run looks up its unigram, a longer
run requires all its bigrams (打印纸 -> 打印 AND 印纸), a word looks up the word. Every token
is a plain string without spaces, so the index joins them with spaces and tantivy's
whitespace tokenizer splits them back.

Partial model numbers (W1110 for W1110A, CC388 or 88A for CC388A): every word that mixes
letters and digits also gives its trigrams (cc388a -> cc3, c38, 388, 88a), kept in a field
of their own, once per document. A query word that mixes letters and digits and has at least
three characters matches the whole word OR all of its trigrams, the way PostgreSQL's pg_trgm
answers LIKE '%…%': whatever LIKE finds inside such a word, the trigrams find too. A query
word of letters or digits only does the same (MFP inside CC388AMFP), but only model numbers
are split into trigrams in the index: "jet" does not find "LaserJet", and a two-character word
(A4) matches whole words and letter/digit parts only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Han (CJK unified ideographs, extension A, compatibility), kana and hangul: written without spaces.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+(?:\.[0-9]+)?)")
_LETTER_DIGIT = re.compile(r"[0-9]+(?:\.[0-9]+)?|[^\W\d_]+")
MAX_WORD = 40  # longer "words" are noise (hashes, URLs); they are cut, as tantivy's default does
GRAM = 3
MAX_GRAM_WORD = 24  # trigrams only for words up to this length (model numbers, not hashes)


def normalise(text: str) -> str:
    """Full-width to half-width (Ａ４ -> A4, （ -> (), lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


def _runs(text: str) -> Iterable[tuple[str, str]]:
    for match in _RUN.finditer(normalise(text)):
        cjk = match.group("cjk")
        if cjk:
            yield "cjk", cjk
        else:
            yield "word", match.group("word")[:MAX_WORD]


def index_tokens(text: str) -> list[str]:
    """Every token a document containing ``text`` is found by (duplicates kept for term frequency)."""
    tokens: list[str] = []
    for kind, run in _runs(text):
        if kind == "cjk":
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
            parts = _LETTER_DIGIT.findall(run)
            if len(parts) > 1:
                tokens.extend(parts)
    return tokens


def query_terms(query: str) -> list[str]:
    """The terms a query requires, in order, without duplicates: all must match (AND)."""
    terms: list[str] = []
    for kind, run in _runs(query):
        if kind == "cjk":
            terms.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            terms.append(run)
    return list(dict.fromkeys(terms))


def model_key(model: str) -> str:
    """A model number without separators ("DL-7401" -> dl7401) so either spelling finds it."""
    return "".join(match.group(0) for match in re.finditer(r"[^\W_]+", normalise(model)))[:MAX_WORD]


def index_text(*parts: str) -> str:
    """The tokens of several texts, joined by spaces for tantivy's whitespace tokenizer."""
    return " ".join(token for part in parts if part for token in index_tokens(part))


def is_mixed(word: str) -> bool:
    """Letters and digits in one word: a model number (w1110a, 88a, kfr35gw)."""
    return any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)


def word_grams(word: str) -> list[str]:
    """The trigrams of a mixed word of 3..MAX_GRAM_WORD characters, in order, without duplicates."""
    if len(word) < GRAM or len(word) > MAX_GRAM_WORD or not is_mixed(word):
        return []
    return list(dict.fromkeys(word[i : i + GRAM] for i in range(len(word) - GRAM + 1)))


_HAS_CJK = re.compile(rf"[{_CJK}]")


def query_grams(term: str) -> list[str]:
    """The trigrams a query word may match instead of the whole word; [] for Han text and short words."""
    if len(term) < GRAM or len(term) > MAX_GRAM_WORD or _HAS_CJK.search(term):
        return []
    return list(dict.fromkeys(term[i : i + GRAM] for i in range(len(term) - GRAM + 1)))


def gram_text(*parts: str) -> str:
    """The trigrams of every mixed word in ``parts``, each once, joined by spaces (the ``gram`` field)."""
    grams: dict[str, None] = {}
    for part in parts:
        if not part:
            continue
        for kind, run in _runs(part):
            if kind == "word":
                grams.update(dict.fromkeys(word_grams(run)))
    return " ".join(grams)
