"""PostgreSQL: what lets a search rank and narrow its candidates without
reading the TOASTed vectors (see luntan.search.backends):

- `title`, a short copy of the title's character tokens kept in the row
  (' 阿 尔 特 曼 访 谈 '), filled from the title's lexemes in `chars`;
- each document's bucket token ('~<post_id >> 15>') in both vectors.

`luntan reindex` rewrites both from the posts. Nothing changes on SQLite."""

from django.db import migrations

POSTGRES_ADD = (
    "ALTER TABLE search_document ADD COLUMN title text NOT NULL DEFAULT ''",
    # Kept in the row (not moved out of line by toast_tuple_target): a title
    # is at most 200 characters.
    "ALTER TABLE search_document ALTER COLUMN title SET STORAGE MAIN",
    # The title's tokens are the lexemes weighted A in `chars`, in the order of their positions.
    "UPDATE search_document SET title = ' ' || coalesce(("
    " SELECT string_agg(token.lexeme, ' ' ORDER BY token.position)"
    " FROM (SELECT entry.lexeme, unnest(entry.positions) AS position"
    " FROM unnest(ts_filter(search_document.chars, '{a}')) AS entry) AS token"
    "), '') || ' ',"
    " words = words || array_to_tsvector(ARRAY['~' || (post_id >> 15)]),"
    " chars = chars || array_to_tsvector(ARRAY['~' || (post_id >> 15)])",
)
POSTGRES_DROP = (
    "ALTER TABLE search_document DROP COLUMN title",
    "UPDATE search_document SET words = ts_delete(words, '~' || (post_id >> 15)),"
    " chars = ts_delete(chars, '~' || (post_id >> 15))",
)


def add_title_and_buckets(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_ADD:
            schema_editor.execute(statement)


def drop_title_and_buckets(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_title_and_buckets, drop_title_and_buckets),
    ]
