"""The search index on disk (tantivy): schema, opening, and one document per listed listing.

The index lives in ``settings.SEARCH_INDEX_DIR``. Only ``shop.indexer`` writes it (one writer
at a time, from the worker or ``manage.py search_rebuild``); web processes only read and pick
up new commits by reloading when ``meta.json`` changes.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import tantivy
from django.conf import settings

from zhengcai.shop.brands import aliases_in_text, brand_aliases
from zhengcai.shop.tokens import gram_text, index_text, model_key

SCHEMA_VERSION = "4"  # bump when the schema or the document format changes: a rebuild is then needed


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    # Pre-tokenised text (see shop.tokens): term frequencies for BM25, no positions needed.
    # Title and brand tokens go in twice: a cheaper boost than a second field (BM25 saturates).
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    # Trigrams of the words mixing letters and digits, once each (partial model numbers: see shop.tokens).
    builder.add_text_field("gram", tokenizer_name="whitespace", index_option="basic")
    # Exact terms: category path codes (a listing carries its category and every ancestor, so a
    # parent matches its subtree), "key=value" specs, delivery region codes.
    builder.add_text_field("category", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("leaf", fast=True)  # the listing's own category id: facet counts
    builder.add_text_field("attr", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("region", tokenizer_name="raw", index_option="basic")
    builder.add_float_field("price", indexed=True, fast=True)  # yuan
    builder.add_unsigned_field("sales", fast=True)
    builder.add_unsigned_field("supplier", indexed=True, fast=True)
    builder.add_unsigned_field("sme", indexed=True)
    return builder.build()


SCHEMA = build_schema()


@dataclass(frozen=True)
class IndexedListing:
    """What the index needs to know about one listing (read from the DB by the indexer)."""

    id: int
    title: str
    brand: str
    model: str
    category_id: int
    category_path: tuple[str, ...]  # codes from the root down to the listing's category
    category_names: tuple[str, ...]
    specs: dict[str, str] = field(default_factory=dict)
    price: float = 0.0
    sales: int = 0
    supplier_id: int = 0
    supplier_name: str = ""
    sme: bool = False
    regions: tuple[str, ...] = ()


def _aliases(listing: IndexedListing, spec_values: str) -> list[str]:
    """Other names of the listing's brand and of brands named in its title, model or specs."""
    names = dict.fromkeys(brand_aliases(listing.brand))
    names.update(dict.fromkeys(aliases_in_text(listing.title, listing.model, spec_values)))
    return list(names)


def make_document(listing: IndexedListing) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", listing.id)
    spec_values = " ".join(str(value) for value in listing.specs.values())
    doc.add_text(
        "text",
        index_text(
            listing.title,
            listing.title,
            listing.brand,
            listing.brand,
            " ".join(_aliases(listing, spec_values)),
            listing.model,
            model_key(listing.model),
            " ".join(listing.category_names),
            spec_values,
            listing.supplier_name,
        ),
    )
    grams = gram_text(listing.title, listing.model, model_key(listing.model), spec_values)
    if grams:
        doc.add_text("gram", grams)
    doc.add_unsigned("leaf", listing.category_id)
    for code in listing.category_path:
        doc.add_text("category", code)
    for key, value in listing.specs.items():
        doc.add_text("attr", f"{key}={value}")
    for region in listing.regions:
        doc.add_text("region", region)
    doc.add_float("price", float(listing.price))
    doc.add_unsigned("sales", max(int(listing.sales), 0))
    doc.add_unsigned("supplier", listing.supplier_id)
    doc.add_unsigned("sme", int(listing.sme))
    return doc


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / f"v{SCHEMA_VERSION}"


def index_exists(path: Path | None = None) -> bool:
    path = path or index_dir()
    return path.is_dir() and tantivy.Index.exists(str(path))


def open_for_writing(path: Path | None = None) -> tantivy.Index:
    """Open (creating if needed) the index for the single writer."""
    path = path or index_dir()
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(SCHEMA, path=str(path), reuse=True)


class _Reader:
    """One open index per directory per process, reloaded when a writer committed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[Path, tuple[tantivy.Index, float]] = {}

    def searcher(self) -> tantivy.Searcher | None:
        path = index_dir()
        try:
            stamp = os.stat(path / "meta.json").st_mtime_ns
        except FileNotFoundError:
            return None
        with self._lock:
            entry = self._open.get(path)
            if entry is None:
                index = tantivy.Index.open(str(path))
                index.config_reader(reload_policy="manual")
                self._open[path] = (index, stamp)
            else:
                index, seen = entry
                if seen != stamp:
                    index.reload()
                    self._open[path] = (index, stamp)
        return index.searcher()

    def forget(self) -> None:
        with self._lock:
            self._open.clear()


reader = _Reader()
