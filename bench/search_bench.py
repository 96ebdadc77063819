# ruff: noqa: PLC0415 - Django is configured from the command line before anything imports it
"""Search benchmark: N generated listings, the tantivy index, a realistic query mix vs a LIKE scan.

    .venv/bin/python bench/search_bench.py                 # 1,000,000 listings, SQLite under var/bench/
    .venv/bin/python bench/search_bench.py --n 20000       # a quick run
    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/zhengcai_bench

The database and the index are reused when they already hold N listings (``--fresh`` starts over).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]


@dataclass(frozen=True)
class Case:
    cls: str
    q: str
    sort: str = "relevance"
    category: str = ""
    price: tuple[int | None, int | None] = (None, None)
    region: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    sme_only: bool = False

    def label(self) -> str:
        parts = [repr(self.q)]
        if self.category:
            parts.append(f"cat={self.category}")
        if self.attributes:
            parts.append(",".join(f"{k}={'|'.join(v)}" for k, v in self.attributes.items()))
        if self.price != (None, None):
            parts.append(f"price={self.price[0] or ''}-{self.price[1] or ''}")
        if self.region:
            parts.append(f"region={self.region}")
        if self.sme_only:
            parts.append("sme")
        if self.sort != "relevance":
            parts.append(f"sort={self.sort}")
        return " ".join(parts)


QUERIES = [
    Case("1-char CJK", "纸"),
    Case("1-char CJK", "笔"),
    Case("1-char CJK", "柜"),
    Case("1-char CJK", "椅"),
    Case("2-char CJK", "打印"),
    Case("2-char CJK", "硒鼓"),
    Case("2-char CJK", "空调"),
    Case("2-char CJK", "墨盒"),
    Case("2-char CJK", "电脑"),
    Case("2-char CJK", "办公"),
    Case("model number", "M1136"),
    Case("model number", "A4"),
    Case("model number", "LJ2405"),
    Case("model number", "DL-7401"),
    Case("model number", "CC388A"),
    Case("partial model", "W1110"),
    Case("partial model", "CC388"),
    Case("partial model", "88A"),
    Case("partial model", "M113"),
    Case("partial model", "LJ24"),
    Case("partial model", "M1136 MFP"),
    Case("mixed", "A4 打印纸"),
    Case("mixed", "惠普 M1136"),
    Case("mixed", "联想 台式计算机"),
    Case("mixed", "格力 空调 1.5匹"),
    Case("filtered", "打印", category="printing", price=(500, 3000), region="330802"),
    Case("filtered", "纸", category="office-paper", attributes={"size": ["A4"]}, region="330881"),
    Case("filtered", "", category="computers-laptop", price=(None, 6000), region="330106"),
    Case("filtered", "空调", category="appliances", attributes={"energy_grade": ["一级"]}, sme_only=True),
    Case("sorted", "打印机", sort="price_asc"),
    Case("sorted", "硒鼓", sort="price_desc"),
    Case("sorted", "笔", sort="sales"),
    Case("sorted", "办公", sort="price_asc", region="330802"),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def fmt_row(name: str, samples: list[float]) -> str:
    return (
        f"  {name:<14} n={len(samples):<5} p50={percentile(samples, 50):8.2f} ms  "
        f"p95={percentile(samples, 95):8.2f} ms  p99={percentile(samples, 99):8.2f} ms"
    )


def main() -> None:  # noqa: PLR0915 - a script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="listings to generate (default 1,000,000)")
    parser.add_argument("--database-url", default="", help="default: a SQLite file under var/bench/")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench"), help="where the database and index live")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each query through search_listings")
    parser.add_argument("--like-repeat", type=int, default=2, help="runs of each query through the LIKE scan")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="drop the database and index first")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if it is up to date")
    parser.add_argument(
        "--priority",
        type=int,
        default=0,
        help="nice value while timing search_listings only (e.g. -10 as root on a busy shared machine)",
    )
    args = parser.parse_args()

    # One directory per size and database: the index must come from the database it is measured with.
    vendor = args.database_url.split(":", 1)[0] if args.database_url else "sqlite"
    work = Path(args.dir) / f"n{args.n}" if vendor == "sqlite" else Path(args.dir) / f"n{args.n}-{vendor}"
    if args.fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["ZHENGCAI_SEARCH_INDEX_DIR"] = str(work / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengcai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone
    from world import ensure_world

    from zhengcai.listings.models import Category, Listing
    from zhengcai.listings.states import ListingStatus
    from zhengcai.shop import generator, indexer, selectors
    from zhengcai.shop.engine import index_dir, index_exists
    from zhengcai.shop.search import SearchFilters, covering_regions, search_listings

    print("# zhengcai search benchmark")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"started: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")

    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
    suppliers = ensure_world()
    have = Listing.objects.count()
    if have < args.n:
        started = time.perf_counter()

        def progress(done: int) -> None:
            if done % 100_000 == 0:
                print(f"  ... {have + done:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)

        generator.generate_listings(
            n=args.n - have, supplier_ids=suppliers, now=timezone.now(), seed=args.seed + have, progress=progress
        )
        print(f"generated: {args.n - have:,} listings in {time.perf_counter() - started:.1f} s")
    listed = Listing.objects.filter(status=ListingStatus.LISTED).count()
    print(f"listings: {Listing.objects.count():,} ({listed:,} listed)")

    if args.reindex or not index_exists() or Listing.objects.filter(search_dirty=True).exists():
        report = indexer.index_rebuild(threads=2)
        print(f"index build: {report.documents:,} documents in {report.seconds:.1f} s")
    print(f"index size: {indexer.dir_size(index_dir()) / 1e6:,.1f} MB on disk ({index_dir()})")

    def run_search(case: Case) -> object:
        filters = SearchFilters(
            category=case.category,
            attributes=case.attributes,
            price_min=Decimal(case.price[0]) if case.price[0] is not None else None,
            price_max=Decimal(case.price[1]) if case.price[1] is not None else None,
            region=case.region,
            sme_only=case.sme_only,
        )
        return search_listings(q=case.q, filters=filters, sort=case.sort, page=1, per_page=20)

    subtree: dict[str, list[int]] = {}
    for category in Category.objects.all():
        ids = [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]
        subtree[category.code] = ids

    barred = selectors.barred_supplier_ids()

    def run_like(case: Case) -> int:
        """The naive way: every word as LIKE '%word%' on the title, filters in SQL, count + first page.

        Like the index it leaves out the suppliers that may not sell (one suspended in the world).
        """
        qs = Listing.objects.filter(status=ListingStatus.LISTED).exclude(supplier_id__in=barred)
        for word in case.q.split():
            qs = qs.filter(title__icontains=word)
        if case.category:
            qs = qs.filter(category_id__in=subtree[case.category])
        if case.price[0] is not None:
            qs = qs.filter(price__gte=case.price[0])
        if case.price[1] is not None:
            qs = qs.filter(price__lte=case.price[1])
        if case.region:
            region_q = Q()
            for code in covering_regions(case.region):
                region_q |= Q(delivery_regions__icontains=f'"{code}"')
            qs = qs.filter(region_q)
        for key, values in case.attributes.items():
            qs = qs.filter(**{f"specs__{key}__in": values})
        order = {"price_asc": "price", "price_desc": "-price"}.get(case.sort, "-sales_count")
        total = qs.count()
        list(qs.order_by(order).values_list("pk", flat=True)[:20])
        return total

    print()
    print(f"## Queries ({len(QUERIES)} queries, {args.repeat} runs each through search_listings)")
    if args.priority:
        print(f"(search_listings timed at nice {args.priority}; the LIKE scan at normal priority)")
    engine: dict[str, list[float]] = {}
    like: dict[str, list[float]] = {}
    fewer: list[str] = []  # model-number queries where the index found fewer than LIKE
    for case in QUERIES:
        first = run_search(case)  # warm-up (and the numbers to print)
        if args.priority:
            os.setpriority(os.PRIO_PROCESS, 0, args.priority)
        samples = timed(lambda case=case: run_search(case), args.repeat)
        if args.priority:
            os.setpriority(os.PRIO_PROCESS, 0, 0)
        engine.setdefault(case.cls, []).extend(samples)
        like_samples = timed(lambda case=case: run_like(case), args.like_repeat) if args.like_repeat else []
        like.setdefault(case.cls, []).extend(like_samples)
        like_total = run_like(case) if args.like_repeat else -1
        # Words of 3+ characters: a 2-character word (A4) matches whole words only, not inside BW-A470.
        checked = case.cls in {"model number", "partial model"} and min(len(w) for w in case.q.split()) >= 3
        if checked and first.total < like_total:  # type: ignore[attr-defined]
            fewer.append(f"{case.q} ({first.total:,} < {like_total:,})")  # type: ignore[attr-defined]
        print(
            f"  {case.cls:<13} {case.label():<62} hits={first.total:>7,}  "  # type: ignore[attr-defined]
            f"p50={percentile(samples, 50):6.2f} ms  p95={percentile(samples, 95):6.2f} ms"
            + (f"  | LIKE hits={like_total:>7,} p50={percentile(like_samples, 50):8.1f} ms" if like_samples else "")
        )

    def summary(title: str, data: dict[str, list[float]]) -> list[float]:
        print()
        print(f"## {title}")
        everything: list[float] = []
        for cls, samples in data.items():
            if samples:
                print(fmt_row(cls, samples))
                everything.extend(samples)
        if everything:
            print(fmt_row("overall", everything))
        return everything

    all_engine = summary("search_listings (tantivy), server side, per class", engine)
    all_like = summary("naive LIKE '%…%' scan on the database, same queries", like)
    if all_like:
        print()
        print(
            f"ratio LIKE / search: p50 x{statistics.median(all_like) / statistics.median(all_engine):,.0f}, "
            f"p95 x{percentile(all_like, 95) / percentile(all_engine, 95):,.0f}"
        )
    if args.like_repeat:
        outcome = "FAIL: " + ", ".join(fewer) if fewer else "PASS"
        print(f"model numbers, index finds at least what LIKE finds: {outcome}")
    verdict = "PASS" if percentile(all_engine, 95) <= 50 else "FAIL"
    print(f"target p95 <= 50 ms overall: {verdict} ({percentile(all_engine, 95):.2f} ms)")
    print(f"finished: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
