"""Page and search speed on a real database, at 10k and 100k posts.

    .venv/bin/python bench/bench_site.py                 # SQLite, 10k and 100k posts
    .venv/bin/python bench/bench_site.py --postgres      # PostgreSQL (database luntan_bench)
    .venv/bin/python bench/bench_site.py --sizes 10000   # one size only

It builds a throw-away site in a temporary directory (SQLite) or in the
database `luntan_bench` (PostgreSQL, dropped and created anew), fills it with
made-up posts, indexes them with the real indexer, then measures:

- search latency (p50, p99) for a set of one-word, two-word and Latin queries,
  against a baseline in the same run: fetching one post by primary key;
- a thread page's render time (Django test client, 60 replies) for a Simplified
  reader (no conversion needed) and a Traditional reader (whole page through
  OpenCC), against a baseline in the same run: /healthz.

Posts are bulk-inserted (a bench fixture, not application code); the search
index is then built by the same code `luntan reindex` runs.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import accumulate

QUERIES = ["经济", "阿尔特曼", "阿爾特曼", "新能源", "人工智能", "股市 行情", "ChatGPT", "ＡＩ", "房价", "留学生活"]
VOCAB = (
    "今天 我们 讨论 经济 发展 新能源 板块 股市 行情 房价 利率 央行 政策 留学 生活 签证 工作 城市 人工智能 模型 芯片 "
    "阿尔特曼 董事会 微软 开发者 大会 投资 基金 分红 风险 历史 文化 书法 电影 音乐 旅行 美食 健康 跑步 孩子 教育 学校 "
    "老师 朋友 周末 公园 天气 湖边 柳树 图书馆 博物馆 地铁 公交 医院 保险 退休 养老 移民 温哥华 多伦多 台北 香港 上海"
).split()
LATIN = ["ChatGPT", "OpenAI", "AI", "GPU", "ETF", "iPhone", "2024", "2025"]
FILLER_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学所"


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Real words plus 4,000 made-up two- and three-character ones, drawn with
    Zipf frequencies (the n-th commonest word about 1/n as often as the first),
    as words are in real text. The real words, queries among them, sit at ranks
    201 to 280: common enough to be in a few percent of posts, as 经济 is."""
    made_up = {"".join(rng.choice(FILLER_CHARS) for _ in range(rng.choice((2, 3)))) for _ in range(6000)}
    made_up = sorted(made_up - set(VOCAB))[:4000]
    rng.shuffle(made_up)
    words = made_up[:200] + VOCAB + made_up[200:]
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    return words, weights


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="bench PostgreSQL (database luntan_bench on 127.0.0.1)")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated post counts")
    parser.add_argument("--searches", type=int, default=200, help="timed searches per size")
    return parser.parse_args()


def setup_django(postgres: bool) -> None:
    var_dir = tempfile.mkdtemp(prefix="luntan-bench-")
    os.environ["LUNTAN_VAR_DIR"] = var_dir
    os.environ["LUNTAN_REDIS_URL"] = ""
    if postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS luntan_bench")
            admin.execute("CREATE DATABASE luntan_bench")
        os.environ["LUNTAN_DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/luntan_bench"
    else:
        os.environ["LUNTAN_DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "luntan.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


_WORDS: tuple[list[str], list[float]] | None = None


def sentence(rng: random.Random) -> str:
    global _WORDS
    if _WORDS is None:
        words, weights = vocabulary(random.Random(7))
        _WORDS = (words, list(accumulate(weights)))
    words = rng.choices(_WORDS[0], cum_weights=_WORDS[1], k=rng.randint(6, 14))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), rng.choice(LATIN))
    return "".join(words) + rng.choice("。，！？")


def body(rng: random.Random) -> str:
    paragraphs = ["".join(sentence(rng) for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(1, 4))]
    text = "\n\n".join(paragraphs)
    if rng.random() < 0.15:  # some authors write Traditional
        from luntan.zh.script import to_traditional

        text = to_traditional(text)
    return text


def fill(total: int, rng: random.Random) -> int:
    """Bulk-insert `total` posts (threads of 1–12 posts) on 4 boards; return a thread id with 60 replies."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from luntan.accounts.models import User
    from luntan.forum.models import PATH_STEP, Board, Post
    from luntan.forum.services import create_board, create_thread, reply

    password = make_password("bench-password-1")
    existing = Post.objects.count()
    if not Board.objects.exists():
        users = [User(username=f"作者{n}", password=password) for n in range(200)]
        for user in users:
            user.save()  # save() computes the name skeleton
        for n, name in enumerate(["股市财经", "科技前沿", "生活百态", "海外华人"]):
            create_board(slug=f"b{n}", name=name)
        # One real thread with 60 replies through the services, for the page timing.
        author, other = users[0], users[1]
        root = create_thread(author=author, board=Board.objects.first(), title="页面计时用的帖子", body=body(rng))
        parent = root
        for n in range(60):
            parent = reply(author=other if n % 2 else author, parent=parent if n % 5 else root,
                           title=f"回复 {n}：" + sentence(rng)[:20], body=body(rng))
        existing = Post.objects.count()
    users = list(User.objects.all())
    boards = list(Board.objects.all())
    now = timezone.now()
    remaining = total - existing
    batch: list[Post] = []
    next_id = (Post.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with transaction.atomic():
        while remaining > 0:
            size = min(remaining, rng.randint(1, 12))
            board = rng.choice(boards)
            at = now - timedelta(days=rng.randint(0, 1000), seconds=rng.randint(0, 86400))
            root_id = next_id
            for k in range(size):
                text = body(rng)
                batch.append(Post(
                    id=next_id, board=board, thread_id=root_id, parent_id=None if k == 0 else root_id,
                    path=f"{root_id:0{PATH_STEP}d}" + ("" if k == 0 else f"{next_id:0{PATH_STEP}d}"),
                    depth=0 if k == 0 else 1, author=rng.choice(users), title=sentence(rng)[:30],
                    body=text, body_html=f"<p>{text}</p>", size=len(text.encode()), created=at,
                    month_day=at.month * 100 + at.day, last_activity=at, reply_count=size - 1 if k == 0 else 0,
                ))
                next_id += 1
            remaining -= size
            if len(batch) >= 2000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
    return Post.objects.get(title="页面计时用的帖子").pk


def reindex() -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("reindex", verbosity=0)
    return time.perf_counter() - start


def timings(func, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        func(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def measure(size: int, searches: int, thread_id: int) -> dict:
    from django.test import Client

    from luntan.forum.models import Post
    from luntan.search.selectors import SearchParams, search as run_search

    def search(query: str):
        return run_search(SearchParams(q=query))
    from luntan.web.script import html_for_script

    ids = list(Post.objects.values_list("id", flat=True)[:1000])
    for query in QUERIES:  # warm caches (matcher tables, OpenCC dictionaries, database pages)
        search(query)
    baseline = timings(lambda n: Post.objects.filter(pk=ids[n % len(ids)]).first(), searches)
    found = {query: len(search(query).hits) for query in QUERIES}
    search_times = timings(lambda n: search(QUERIES[n % len(QUERIES)]), searches)

    result = {
        "size": size,
        "search": search_times,
        "per_query": {q: search_times[i::len(QUERIES)] for i, q in enumerate(QUERIES)},
        "baseline": baseline,
        "found": found,
    }
    try:
        client = Client(raise_request_exception=True)
        url = f"/p/{thread_id}/"
        client.get(url), client.get(url + "?script=hant")
        result["health"] = timings(lambda n: client.get("/healthz"), 50)
        result["hans"] = timings(lambda n: client.get(url, HTTP_COOKIE="script=hans"), 50)
        result["hant"] = timings(lambda n: client.get(url, HTTP_COOKIE="script=hant"), 50)
        page = client.get(url + "?script=hans").content.decode()
        result["convert"] = timings(lambda n: html_for_script(page, "hant"), 50)
        result["page_kb"] = len(page.encode()) / 1000
    except Exception as error:  # the search figures stand on their own
        result["page_error"] = f"{type(error).__name__}: {error}"
    return result


def report(results: list[dict], database: str, build_times: dict) -> None:
    print(f"### {database} — {platform.machine()}, Python {platform.python_version()}, {date.today()}\n")
    print("| posts | search p50 ms | search p99 ms | baseline p50 ms (pk lookup) | p50 ÷ baseline | index build s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        b = statistics.median(r["baseline"])
        s50 = statistics.median(r["search"])
        print(f"| {r['size']:,} | {s50:.2f} | {p(r['search'], 99):.2f} | {b:.3f} | {s50 / b:.0f} | {build_times[r['size']]:.1f} |")
    r = results[-1]
    print("\nSearch p50 ms per query at {:,} posts: ".format(r["size"])
          + ", ".join(f"{q} {statistics.median(t):.1f}" for q, t in r["per_query"].items()))
    if "page_error" in r:
        print(f"\nThread page not measured: {r['page_error']}")
        print("\nResults per query (hits on the first page): " + ", ".join(f"{q} {n}" for q, n in r["found"].items()))
        return
    h = statistics.median(r["health"])
    print(f"\nThread page with 60 replies ({r['page_kb']:.0f} KB), median of 50 requests, baseline /healthz {h:.2f} ms:\n")
    print("| reader | page ms | ÷ baseline |")
    print("| --- | ---: | ---: |")
    for name in ("hans", "hant"):
        m = statistics.median(r[name])
        print(f"| {'Simplified' if name == 'hans' else 'Traditional'} | {m:.2f} | {m / h:.1f} |")
    print(f"\nConverting that page to Traditional alone: {statistics.median(r['convert']):.2f} ms (target: under 1 ms for 30 KB)")
    print("\nResults per query (hits on the first page): " + ", ".join(f"{q} {n}" for q, n in r["found"].items()))


def main() -> None:
    args = parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    setup_django(args.postgres)
    rng = random.Random(2026)
    results, build_times = [], {}
    thread_id = None
    for size in sorted(int(s) for s in args.sizes.split(",")):
        thread_id = fill(size, rng)
        build_times[size] = reindex()
        results.append(measure(size, args.searches, thread_id))
        print(f"... {size:,} posts measured", file=sys.stderr)
    report(results, "PostgreSQL" if args.postgres else "SQLite", build_times)


if __name__ == "__main__":
    main()
