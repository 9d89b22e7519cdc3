"""The full-text half of the search index, one backend per database, one interface.

Every document is indexed twice (see `luntan.zh.segment`): as jieba words, for
relevance, and as characters (CJK one per token, letter/digit runs whole), so
that a phrase of character tokens finds a query word wherever its characters
stand together, whatever jieba made of the context. Both arrive here already
folded (script, width, case) and joined by spaces; the database only splits on
the spaces and never sees user text outside a bound parameter.

- SQLite: the FTS5 table `search_fts` (rowid = post id; columns title_words,
  body_words, title_chars, body_chars, and facets: the filters' values as
  tokens; tokenizer unicode61), ranked by bm25 with the title columns weighted
  above the body columns; joined to `search_document` for the exact filters.
- PostgreSQL: tsvector columns of `search_document` made with
  to_tsvector('simple', …), the title's lexemes weighted A and the body's D:
  `chars` (the character tokens, with positions, for phrases) and `words`
  (the jieba words, plus every pair of neighbouring CJK characters), each with
  a GIN index. The pairs spare PostgreSQL its phrase check, which reads every
  candidate row: a two-character word (the commonest kind) is one exact
  lexeme; a longer one is narrowed to the rows holding all its pairs before
  the phrase is checked. Both vectors also hold the document's bucket token
  ('~<post id >> 15>'), so the candidates among the newest posts come out of
  the index alone. The vectors are long and stored out of line (TOAST); the
  row keeps a short copy of the title's tokens (`title`, ' 阿 尔 特 曼 访 谈 '),
  which is all the ranking reads.

A query (`Terms`) is matched in two tiers: tier 1, every query term's
characters as a phrase; tier 2, all the query's characters anywhere, minus
tier 1. Inside a tier, results are ranked by relevance; for a term so common
that more than RANK_WINDOW posts match, the newest RANK_WINDOW of them are
ranked (50 pages of 20 fit in it), which keeps the cost of a query bounded
however common its words. SQLite ranks by bm25 over title and body (title
columns weighted 10×). PostgreSQL ranks by the title alone (each query term it
holds counts 2, each query word 1), then newest first: ranking by ts_rank over
the bodies read every candidate's vector out of line and cost more than the
rest of the search together. It takes the window from the newest two buckets
of post ids when they hold enough candidates (a term in more than about one
post in 32) and reads older rows only when they do not, ranks the window on
its short rows, and checks the phrases (which do read the vectors) in rank
order, only until the page is full.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from luntan.forum.models import Post
from luntan.zh.normalize import is_cjk
from luntan.zh.segment import char_tokens

# How much more a match in the title counts than one in the body.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# How many of a tier's matches, the newest, are ranked.
RANK_WINDOW = 1000
# A date filter longer than this is checked on the rows only, not in FTS5's index.
MAX_PERIOD_MONTHS = 36
# PostgreSQL: every document's vectors also hold the token of its bucket of
# post ids, '~<post_id >> BUCKET_BITS>', so the newest two buckets' candidates
# come out of the GIN index alone: a term in more than about one post in 32
# fills its ranking window from them. Changing it needs a `luntan reindex`.
BUCKET_BITS = 15
BUCKET_PREFIX = "~"  # no text token holds it: tokens are letters, digits and CJK


@dataclass(frozen=True)
class Document:
    """One post as the index stores it; the texts are space-joined tokens."""

    post_id: int
    board_id: int
    author_id: int
    created: datetime
    title_words: str
    body_words: str
    title_chars: str
    body_chars: str


@dataclass(frozen=True)
class Terms:
    """A query, tokenized as documents are."""

    # The character tokens of each query term (a run between separators).
    phrases: tuple[tuple[str, ...], ...]
    # Every character token of the query, once.
    chars: tuple[str, ...]
    # The query's jieba words, once: they only weigh in the rank.
    words: tuple[str, ...]

    @property
    def has_second_tier(self) -> bool:
        """Whether "all the characters, not together" differs from tier 1."""
        return any(len(phrase) > 1 for phrase in self.phrases)


@dataclass(frozen=True)
class Filters:
    board_id: int | None = None
    author_id: int | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


class Backend:
    def write(self, documents: Sequence[Document]) -> None:
        """Add or replace these documents."""
        raise NotImplementedError

    def delete(self, post_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Empty the index."""
        raise NotImplementedError

    def prune(self) -> int:
        """Drop the documents of posts that are gone or no longer public; how many."""
        raise NotImplementedError

    def tidy(self) -> None:
        """After a rebuild: compact the index and refresh the planner's statistics."""
        raise NotImplementedError

    def ranked(self, terms: Terms, filters: Filters, *, tier: int, limit: int, offset: int) -> list[int]:
        """Post ids matching `terms` in `tier`, best first (the newest RANK_WINDOW matches)."""
        raise NotImplementedError

    def count(self, terms: Terms, filters: Filters, *, tier: int) -> int:
        """How many posts `ranked` ranks: the tier's matches, at most RANK_WINDOW."""
        raise NotImplementedError

    @staticmethod
    def _filter_sql(filters: Filters) -> tuple[str, list]:
        clauses, params = [], []
        if filters.board_id is not None:
            clauses.append("d.board_id = %s")
            params.append(filters.board_id)
        if filters.author_id is not None:
            clauses.append("d.author_id = %s")
            params.append(filters.author_id)
        if filters.start is not None:
            clauses.append("d.created >= %s")
            params.append(connection.ops.adapt_datetimefield_value(filters.start))
        if filters.end is not None:
            clauses.append("d.created < %s")
            params.append(connection.ops.adapt_datetimefield_value(filters.end))
        return "".join(f" AND {clause}" for clause in clauses), params


def _prune_sql() -> str:
    return (
        "DELETE FROM search_document WHERE NOT EXISTS ("
        f"SELECT 1 FROM {Post._meta.db_table} p WHERE p.id = search_document.post_id AND p.status = %s)"
    )


def _facets(document: Document) -> str:
    """The filters' tokens, so FTS5 intersects a filter with the text match in
    its own index: board, author, and the month and year of the post (in the
    site's time zone)."""
    local = timezone.localtime(document.created)
    return f"b{document.board_id} a{document.author_id} m{local:%Y%m} y{local:%Y}"


def _period_facets(start: datetime, end: datetime) -> list[str] | None:
    """The month and year tokens covering [start, end), whole years as one
    token; None when the period is too long to narrow the search."""
    first, last = timezone.localtime(start), timezone.localtime(end - timedelta(microseconds=1))
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_PERIOD_MONTHS:
        return None
    tokens = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and (year < last.year or last.month == 12):
            tokens.append(f"y{year}")
            year += 1
            continue
        tokens.append(f"m{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tokens


class SqliteBackend(Backend):
    # Column order of search_fts, and bm25's weight for each (facets: none).
    WEIGHTS = (TITLE_WEIGHT, BODY_WEIGHT, TITLE_WEIGHT, BODY_WEIGHT, 0.0)
    _CHARS = "{title_chars body_chars}"
    _WORDS = "{title_words body_words}"

    def write(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(d.post_id,) for d in documents])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title_words, body_words, title_chars, body_chars, facets)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (d.post_id, d.title_words, d.body_words, d.title_chars, d.body_chars, _facets(d))
                    for d in documents
                ],
            )
            cursor.executemany(
                "INSERT INTO search_document (post_id, board_id, author_id, created) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (post_id) DO UPDATE SET board_id = excluded.board_id,"
                " author_id = excluded.author_id, created = excluded.created",
                [(d.post_id, d.board_id, d.author_id, adapt(d.created)) for d in documents],
            )

    def delete(self, post_ids: Sequence[int]) -> None:
        rows = [(post_id,) for post_id in post_ids]
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", rows)
            cursor.executemany("DELETE FROM search_document WHERE post_id = %s", rows)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_document")

    def prune(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(_prune_sql(), [Post.Status.PUBLIC])
            pruned = cursor.rowcount
            # Also rows a bulk delete of documents left behind (the FTS table has no foreign key).
            cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT post_id FROM search_document)")
        return pruned

    def tidy(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE search_document")

    @staticmethod
    def _phrase(tokens: Sequence[str]) -> str:
        # An FTS5 string: double quotes doubled. Inside it the tokenizer splits
        # on the spaces, so several tokens make a phrase.
        return '"' + " ".join(tokens).replace('"', '""') + '"'

    def _match(self, terms: Terms, filters: Filters, tier: int) -> str:
        """The FTS5 query: the tier's condition, the filters' facets, and the words for the rank."""
        phrases = " AND ".join(self._phrase(p) for p in terms.phrases)
        if tier == 1:
            condition = f"{self._CHARS}: ({phrases})"
            implied = f"{self._CHARS}: {self._phrase(terms.phrases[0])}"
        else:
            every_char = " AND ".join(self._phrase([c]) for c in terms.chars)
            condition = f"({self._CHARS}: ({every_char}) NOT {self._CHARS}: ({phrases}))"
            implied = f"{self._CHARS}: {self._phrase(terms.chars[:1])}"
        match = condition
        if terms.words:
            # "C AND (W OR I)", where C implies I, matches what C matches; bm25
            # also scores the words W.
            words = " OR ".join(self._phrase([w]) for w in terms.words)
            match = f"{condition} AND ({self._WORDS}: ({words}) OR {implied})"
        facets = []
        if filters.board_id is not None:
            facets.append(self._phrase([f"b{filters.board_id}"]))
        if filters.author_id is not None:
            facets.append(self._phrase([f"a{filters.author_id}"]))
        if filters.start is not None and filters.end is not None:
            if period := _period_facets(filters.start, filters.end):
                facets.append("(" + " OR ".join(self._phrase([token]) for token in period) + ")")
        if facets:
            # The exact bounds are checked on search_document; these narrow the match first.
            match += " AND {facets}: (" + " AND ".join(facets) + ")"
        return match

    def _recent(self, terms: Terms, filters: Filters, tier: int) -> tuple[str, list]:
        """The tier's newest RANK_WINDOW matches with their scores (FTS5 reads
        its matches in rowid order, so the newest come first and it stops there)."""
        where, params = self._filter_sql(filters)
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        sql = (
            f"SELECT search_fts.rowid AS post_id, bm25(search_fts, {weights}) AS score"
            # The join also keeps out FTS rows whose document went with a bulk delete.
            " FROM search_fts JOIN search_document AS d ON d.post_id = search_fts.rowid"
            f" WHERE search_fts MATCH %s{where} ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        return sql, [self._match(terms, filters, tier), *params, RANK_WINDOW]

    def ranked(self, terms: Terms, filters: Filters, *, tier: int, limit: int, offset: int) -> list[int]:
        recent, params = self._recent(terms, filters, tier)
        with connection.cursor() as cursor:
            cursor.execute(
                # bm25 is negative: the more relevant, the lower.
                f"SELECT post_id FROM ({recent}) ORDER BY score, post_id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms: Terms, filters: Filters, *, tier: int) -> int:
        recent, params = self._recent(terms, filters, tier)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({recent})", params)
            return cursor.fetchone()[0]


def cjk_pairs(tokens: Sequence[str]) -> list[str]:
    """Every two neighbouring tokens that are both CJK characters, joined: 阿 尔 特 曼 → 阿尔 尔特 特曼."""
    return [a + b for a, b in zip(tokens, tokens[1:]) if _is_cjk_letter(a) and _is_cjk_letter(b)]


def _is_cjk_letter(token: str) -> bool:
    return len(token) == 1 and token.isalpha() and is_cjk(token)


class PostgresBackend(Backend):
    # Title lexemes weighted A, body D, and the post's bucket token.
    _VECTOR = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D')"
        " || array_to_tsvector(ARRAY[%s])"
    )

    def write(self, documents: Sequence[Document]) -> None:
        if not documents:
            return

        def words(texts_words: str, text_chars: str) -> str:
            return " ".join([texts_words, *cjk_pairs(text_chars.split())])

        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (post_id, board_id, author_id, created, words, chars, title)"
                f" VALUES (%s, %s, %s, %s, {self._VECTOR}, {self._VECTOR}, %s)"
                " ON CONFLICT (post_id) DO UPDATE SET board_id = excluded.board_id,"
                " author_id = excluded.author_id, created = excluded.created,"
                " words = excluded.words, chars = excluded.chars, title = excluded.title",
                [
                    (
                        d.post_id, d.board_id, d.author_id, d.created,
                        words(d.title_words, d.title_chars), words(d.body_words, d.body_chars), _bucket(d.post_id),
                        d.title_chars, d.body_chars, _bucket(d.post_id), _spaced(d.title_chars.split()),
                    )
                    for d in documents
                ],
            )

    def delete(self, post_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE post_id = ANY(%s)", [list(post_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document")

    def prune(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(_prune_sql(), [Post.Status.PUBLIC])
            return cursor.rowcount

    def tidy(self) -> None:
        with connection.cursor() as cursor:
            # Rows written since the last vacuum wait in each GIN index's
            # pending list, which every search reads through in full: merge them.
            cursor.execute(
                "SELECT gin_clean_pending_list('search_doc_words'::regclass),"
                " gin_clean_pending_list('search_doc_chars'::regclass)"
            )
            cursor.execute("ANALYZE search_document")

    # Every tsquery below is made by a function from bound parameters.
    _ALL = "plainto_tsquery('simple', %s)"  # every token
    _PHRASE = "phraseto_tsquery('simple', %s)"  # the tokens in a row

    @classmethod
    def _tier1(cls, terms: Terms, row: str) -> tuple[list[tuple[str, str]], str, list]:
        """Tier 1 on table alias `row`, as (candidates, phrase check, params).

        The candidates, (vector, tokens that must all be in it), come from the
        indexes without reading a row: the pairs of each term's CJK characters
        (words), its other tokens (chars). They are exact for a term of one
        token or of two CJK characters; the other terms get their phrase
        checked, on the candidates only."""
        singles, pairs, phrases = [], [], []
        for phrase in terms.phrases:
            term_pairs = cjk_pairs(phrase)
            if len(phrase) == 1:
                singles.append(phrase[0])
                continue
            pairs += term_pairs
            if len(phrase) == 2 and term_pairs:
                continue
            paired = {char for pair in term_pairs for char in pair}
            singles += [token for token in phrase if token not in paired]
            phrases.append(" ".join(phrase))
        candidates = []
        if singles:
            candidates.append(("chars", " ".join(singles)))
        if pairs:
            candidates.append(("words", " ".join(pairs)))
        check = f"{row}.chars @@ ({' && '.join([cls._PHRASE] * len(phrases))})" if phrases else ""
        return candidates, check, phrases

    @classmethod
    def _match(cls, candidates: list[tuple[str, str]], row: str, extra: str = "") -> tuple[str, list]:
        """The candidates as a condition on `row`; `extra`, a tsquery, is ANDed to the first."""
        clauses, params = [], []
        for n, (column, tokens) in enumerate(candidates):
            clauses.append(f"{row}.{column} @@ ({cls._ALL}{extra if n == 0 else ''})")
            params.append(tokens)
        return " AND ".join(clauses), params

    def _recent(self, terms: Terms, filters: Filters, tier: int) -> tuple[str, list, str, list]:
        """The tier's newest RANK_WINDOW candidates (as `recent`), and the
        condition on them that leaves its matches.

        Only the indexes and the short heap rows are read: the vectors come
        along as TOAST pointers, read only by the condition. The candidates
        are looked for in the newest two buckets first (the bucket token in
        the GIN index narrows them before any row is read); the older rows
        only when those hold fewer than RANK_WINDOW."""
        if tier == 1:
            candidates, _, _ = self._tier1(terms, "d")
            _, check, check_phrases = self._tier1(terms, "recent")
            check_params = list(check_phrases)
        else:
            # Every character anywhere, exact from the index ...
            candidates = [("chars", " ".join(terms.chars))]
            # ... and not a tier-1 match.
            first, first_check, first_phrases = self._tier1(terms, "recent")
            first_match, first_params = self._match(first, "recent")
            check = f"NOT ({' AND '.join(filter(None, [first_match, first_check]))})"
            check_params = [*first_params, *first_phrases]
        where, filter_params = self._filter_sql(filters)
        newest, newest_params = self._match(candidates, "d", " && (SELECT buckets FROM top)")
        older, older_params = self._match(candidates, "d")
        columns = "d.post_id, d.title, d.words, d.chars"
        recent = (
            "WITH top AS MATERIALIZED (SELECT ("
            f"quote_literal('{BUCKET_PREFIX}' || bucket) || ' | ' || quote_literal('{BUCKET_PREFIX}' || (bucket - 1))"
            f")::tsquery AS buckets, (bucket - 1) << {BUCKET_BITS} AS start"
            f" FROM (SELECT coalesce(max(post_id), 0) >> {BUCKET_BITS} AS bucket FROM search_document) AS newest),"
            # "+ 0": the candidates come from the GIN indexes, never from walking
            # the primary key backwards and testing every row's vector on the way.
            f" newest AS MATERIALIZED (SELECT {columns} FROM search_document AS d"
            f" WHERE {newest}{where} ORDER BY d.post_id + 0 DESC LIMIT %s) "
            "SELECT * FROM newest UNION ALL"
            f" SELECT {columns} FROM search_document AS d WHERE {older}{where}"
            " AND d.post_id < (SELECT start FROM top)"
            # Read only when the newest buckets fall short.
            " AND (SELECT count(*) FROM newest) < %s"
            " ORDER BY post_id DESC LIMIT %s"
        )
        params = [
            *newest_params, *filter_params, RANK_WINDOW,
            *older_params, *filter_params, RANK_WINDOW, RANK_WINDOW,
        ]
        return recent, params, check or "TRUE", check_params

    @staticmethod
    def _rank(terms: Terms) -> tuple[str, list]:
        """The rank of a row of `recent`: which of the query's terms (2 each) and
        jieba words (1 each) its title holds, read from the title's short
        inline copy, never from the vectors."""
        weights: dict[str, int] = {}
        for phrase in terms.phrases:
            weights[_spaced(phrase)] = 2
        for word in terms.words:
            weights.setdefault(_spaced(char_tokens(word)), 1)
        weights.pop(_spaced(()), None)
        if not weights:
            return "0", []
        rank = " + ".join(f"(strpos(recent.title, %s) > 0)::int * {weight}" for weight in weights.values())
        return rank, list(weights)

    def ranked(self, terms: Terms, filters: Filters, *, tier: int, limit: int, offset: int) -> list[int]:
        recent, params, exact, exact_params = self._recent(terms, filters, tier)
        rank, rank_params = self._rank(terms)
        with connection.cursor() as cursor:
            cursor.execute(
                # Ranked first (a sort of short rows), then checked in rank order
                # only until the page is full: the inner LIMIT keeps the check
                # above the sort, so most rows' vectors are never read.
                "SELECT post_id FROM ("
                f"SELECT recent.post_id, recent.words, recent.chars FROM ({recent}) AS recent"
                f" ORDER BY {rank} DESC, recent.post_id DESC LIMIT %s"
                f") AS recent WHERE {exact} LIMIT %s OFFSET %s",
                [*params, *rank_params, RANK_WINDOW, *exact_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms: Terms, filters: Filters, *, tier: int) -> int:
        recent, params, exact, exact_params = self._recent(terms, filters, tier)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({recent}) AS recent WHERE {exact}", [*params, *exact_params])
            return cursor.fetchone()[0]


def _bucket(post_id: int) -> str:
    return f"{BUCKET_PREFIX}{post_id >> BUCKET_BITS}"


def _spaced(tokens: Sequence[str]) -> str:
    """Tokens as the title column holds them, so that a phrase is a substring:
    ' 阿 尔 特 曼 ' is in ' 阿 尔 特 曼 访 谈 ', ' ai ' is not in ' said '."""
    return " " + " ".join(tokens) + " "


_BACKENDS: dict[str, Backend] = {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def backend() -> Backend:
    """The backend for the database in use."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.") from None
