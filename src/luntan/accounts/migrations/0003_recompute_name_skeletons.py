"""Recompute every member's name skeleton after the skeleton learned Unicode's
confusables, Japanese forms and invisible characters (luntan.zh.skeleton).

Names that the old skeleton told apart may now share one, 站务老王 and
站务老王\u3164 for instance. Both members keep their accounts: the first of
them (operators first, then the older account) keeps the plain skeleton, and
each later twin gets it with `#<id>` appended, which no name can produce, so
no one else can register a look-alike of either. The twins are listed for the
operator to look at.
"""

from django.db import migrations

from luntan.zh.skeleton import skeleton

_MAX = 150  # User.name_skeleton.max_length


def recompute(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.order_by("-is_superuser", "-is_staff", "pk").only("pk", "username", "name_skeleton"))
    owner = {}
    wanted = {}
    twins = []
    for user in users:
        key = skeleton(user.username)[:_MAX]
        if key in owner:
            twins.append((user.username, owner[key]))
            suffix = f"#{user.pk}"
            key = key[: _MAX - len(suffix)] + suffix
        else:
            owner[key] = user.username
        wanted[user.pk] = key
    changed = [user for user in users if user.name_skeleton != wanted[user.pk]]
    # Through a placeholder first, so that a skeleton moving from one row to
    # another never meets itself on the unique index.
    for user in changed:
        user.name_skeleton = f"#{user.pk}"
    User.objects.bulk_update(changed, ["name_skeleton"], batch_size=500)
    for user in changed:
        user.name_skeleton = wanted[user.pk]
    User.objects.bulk_update(changed, ["name_skeleton"], batch_size=500)
    if twins:
        print(f"\n  {len(twins)} member name(s) now look like an earlier member's; both kept:")
        for name, earlier in twins:
            print(f"    {name!r} looks like {earlier!r}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_tip_links"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
