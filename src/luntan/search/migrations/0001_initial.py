"""The search index: `search_document` for every database, then the text half
for the one in use (see luntan.search.backends), then the posts already there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title_words, body_words, title_chars, body_chars, "
    # The filters' tokens (b<board> a<author> m<yyyymm> y<yyyy>): FTS5 then
    # intersects a filter with the text match inside its index.
    "facets, "
    # The texts arrive as folded tokens joined by spaces; unicode61 only splits
    # them. Diacritics stay, as PostgreSQL's 'simple' configuration keeps them.
    "tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_CREATE = (
    "ALTER TABLE search_document"
    " ADD COLUMN words tsvector NOT NULL DEFAULT '',"
    " ADD COLUMN chars tsvector NOT NULL DEFAULT ''",
    # Long vectors go out of line, so the rows stay short and the heap rows
    # of an index's matches are read quickly; only the rows being ranked
    # fetch their vectors.
    "ALTER TABLE search_document SET (toast_tuple_target = 128)",
    "CREATE INDEX search_doc_words ON search_document USING gin (words)",
    "CREATE INDEX search_doc_chars ON search_document USING gin (chars)",
)


def create_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    # On PostgreSQL the columns go with search_document.


def index_existing_posts(apps, schema_editor):
    """Posts written before search existed are indexed by forum's migration
    0005, once their plain text (`Post.body_text`, what the index reads) is
    there: this one runs before it, on a Post that has no such field."""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='forum.post')),
                ('created', models.DateTimeField()),
                ('author', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('board', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forum.board')),
            ],
            options={
                'db_table': 'search_document',
                'indexes': [models.Index(fields=['board', 'created'], name='search_doc_board_created'), models.Index(fields=['author', 'created'], name='search_doc_author_created'), models.Index(fields=['created'], name='search_doc_created')],
            },
        ),
        migrations.RunPython(create_text_index, drop_text_index),
        migrations.RunPython(index_existing_posts, migrations.RunPython.noop),
    ]
