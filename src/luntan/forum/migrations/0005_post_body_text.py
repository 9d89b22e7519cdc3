"""What is read off a post's Markdown, stored when it is written: the plain
text (search and its snippets) and the first sentences (page descriptions).
Existing posts get both here, in batches, and are then indexed from them."""

from django.db import migrations, models

BATCH = 500


def fill_body_text(apps, schema_editor):
    from django.conf import settings

    from luntan.markup import render
    from luntan.search.indexing import reindex
    from luntan.zh.summary import summarize

    Post = apps.get_model("forum", "Post")
    last_id = 0
    while batch := list(Post.objects.filter(pk__gt=last_id).order_by("pk").only("id", "body")[:BATCH]):
        last_id = batch[-1].pk
        for post in batch:
            # Stored bodies may predate today's limit: bound the work, not the text kept.
            rendered = render(post.body, limit=max(len(post.body), settings.LUNTAN["BODY_MAX"]))
            post.body_text, post.excerpt = rendered.text, summarize(rendered.lead, 120)
        Post.objects.bulk_update(batch, ["body_text", "excerpt"])
    reindex(posts=Post.objects)


class Migration(migrations.Migration):

    dependencies = [
        ("forum", "0004_post_status_reason"),
        ("search", "0002_postgres_title"),
    ]

    operations = [
        migrations.AddField(model_name="post", name="body_text", field=models.TextField(blank=True)),
        migrations.AddField(model_name="post", name="excerpt", field=models.CharField(blank=True, max_length=122)),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop, elidable=True),
    ]
