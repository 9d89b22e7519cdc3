"""The search index's vendor-neutral half: one row per findable (public) post,
with what the filters need, so board, author and date filters are index scans.

The text half lives beside it, made by the migration for the database in use
(see `backends`): on SQLite the FTS5 table `search_fts` (rowid = post id), on
PostgreSQL two tsvector columns of this same table with a GIN index.
"""

from django.conf import settings
from django.db import models

from luntan.forum.models import Board, Post


class SearchDocument(models.Model):
    post = models.OneToOneField(Post, primary_key=True, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    created = models.DateTimeField()

    class Meta:
        db_table = "search_document"
        indexes = [
            models.Index(fields=["board", "created"], name="search_doc_board_created"),
            models.Index(fields=["author", "created"], name="search_doc_author_created"),
            models.Index(fields=["created"], name="search_doc_created"),
        ]

    def __str__(self) -> str:
        return f"search document of post {self.post_id}"
