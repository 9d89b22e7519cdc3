"""Random sequences of every act on posts, with the counters recounted after
each step (`forum.counts.check`, the code behind `luntan check-counts`).

Hypothesis drives members and moderators through new threads, replies at any
depth (some back-dated to earlier days, for the day statistics), column
drafts and their publication, posts held for review and the decisions on
them, hiding, restoring, deleting, moving threads between boards, locking,
edits, votes, and a banned member trying to post. Acts that the services
refuse (a reply to a hidden post, a vote on one's own post) are part of the
game: a refusal must change nothing. Each example runs inside a savepoint
that is rolled back at its end, so the next starts from an empty site.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from luntan.errors import UserError
from luntan.forum.counts import check

REVIEW_WORD = "待审词"
# One post in four carries the review word and is held.
_held = st.sampled_from([False, False, False, True])
# Which post an act is on: an index into the posts written so far, wrapped.
_pick = st.integers(0, 10_000)


class PostLife(RuleBasedStateMachine):
    """Few rules, each with many acts, on a site that starts with two threads
    of replies: Hypothesis leaves a random subset of the rules out of each
    example (swarm testing), and every subset must still have posts to act on."""

    @initialize()
    def site(self):
        from luntan.accounts.services import register
        from luntan.columns.services import open_column
        from luntan.forum.services import create_board, create_thread, reply
        from luntan.moderation.rules import add_rule

        self.savepoint = transaction.savepoint()
        password = "correct horse battery 9"
        self.members = [register(username=f"成员{n}", password=password) for n in range(3)]
        self.operator = register(username="站务甲", password=password)
        self.operator.is_staff = self.operator.is_superuser = True
        self.operator.save()
        self.boards = [create_board(slug=f"b{n}", name=f"版面{n}") for n in range(2)]
        self.column = open_column(owner=self.members[0], title="专栏")
        add_rule(actor=self.operator, pattern=REVIEW_WORD, action="review", category="待查")
        self.written = 0
        self.post_ids = []
        for board in self.boards:
            root = create_thread(author=self.members[0], board=board, title=self._title(False))
            first = reply(author=self.members[1], parent=root, title=self._title(False))
            nested = reply(author=self.members[2], parent=first, title=self._title(False))
            self.post_ids += [root.pk, first.pk, nested.pk]

    def teardown(self):
        if hasattr(self, "savepoint"):
            transaction.savepoint_rollback(self.savepoint)

    def _title(self, held: bool) -> str:
        self.written += 1
        return f"帖子{self.written}" + (REVIEW_WORD if held else "")

    def _post(self, pick: int):
        from luntan.forum.models import Post

        return Post.objects.select_related("board", "author", "thread").get(pk=self.post_ids[pick % len(self.post_ids)])

    def _try(self, act, *args, **kwargs):
        """Run an act; a refusal a member would be shown is a fine outcome."""
        try:
            return act(*args, **kwargs)
        except UserError:
            return None

    @rule(
        kind=st.sampled_from(["thread", "reply", "reply", "reply", "article", "draft"]),
        author=st.integers(0, 2), board=st.integers(0, 1), pick=_pick, held=_held, days_ago=st.sampled_from([0, 0, 1, 3]),
    )
    def write(self, kind, author, board, pick, held, days_ago):
        """A thread, a reply to any post (some back-dated), or a column article, published or a draft."""
        from luntan.columns.services import write_article
        from luntan.forum.services import create_thread, reply

        title = self._title(held)
        if kind == "thread":
            written = self._try(create_thread, author=self.members[author], board=self.boards[board], title=title)
        elif kind == "reply":
            at = timezone.now() - timedelta(days=days_ago) if days_ago else None
            written = self._try(reply, author=self.members[author], parent=self._post(pick), title=title, at=at)
        else:
            written = self._try(
                write_article, author=self.members[0], column=self.column, title=title, body="正文。",
                publish=kind == "article",
            )
        if written is not None:
            self.post_ids.append(written.pk)

    @rule(
        pick=_pick,
        act=st.sampled_from(["hide", "delete", "restore", "approve", "reject", "move", "lock", "unlock", "pin", "feature"]),
        board=st.integers(0, 1),
        whole_thread=st.booleans(),
    )
    def moderate(self, pick, act, board, whole_thread):
        """A moderator's act on a post, or on the whole thread it is in."""
        from luntan.moderation.acts import perform
        from luntan.moderation.models import ReviewItem
        from luntan.moderation.review import decide_review

        post = self._post(pick)
        if whole_thread:
            post = self._post(self.post_ids.index(post.thread_id))
        if act in ("approve", "reject"):
            item = ReviewItem.objects.filter(post=post, decision__isnull=True).first()
            if item is not None:
                self._try(decide_review, actor=self.operator, item=item, decision=act, reason="审核")
            return
        self._try(perform, act, actor=self.operator, post=post, reason="版务", board=self.boards[board])

    @rule(pick=_pick, act=st.sampled_from(["publish", "edit", "edit_held", "vote_up", "vote_down"]), member=st.integers(0, 2))
    def members_act(self, pick, act, member):
        from luntan.columns.services import publish_article
        from luntan.forum.services import edit_post, vote

        post = self._post(pick)
        if act == "publish":
            self._try(publish_article, author=post.author, post=post)
        elif act.startswith("edit"):
            self._try(edit_post, editor=post.author, post=post, title=self._title(act == "edit_held"), body="改过的内容。")
        else:
            self._try(vote, user=self.members[member], post=post, value=1 if act == "vote_up" else -1)

    @rule(board=st.integers(0, 1))
    def banned_member_tries_to_post(self, board):
        from luntan.forum.services import create_thread
        from luntan.moderation.models import Ban
        from luntan.moderation.bans import ban

        # The last member is the one who gets banned, so the others keep posting.
        member, target = self.members[-1], self.boards[board]
        if not Ban.objects.filter(user=member, board=target).exists():
            ban(actor=self.operator, user=member, board=target, days=1, reason="刷屏")
        with pytest.raises(UserError):
            create_thread(author=member, board=target, title=self._title(False))

    @invariant()
    def counters_equal_a_recount(self):
        if hasattr(self, "savepoint"):
            assert check() == []


@pytest.mark.django_db
def test_random_acts_keep_every_counter_equal_to_a_recount(settings):
    # Rate limits would only cut the sequences short (they are tested on their own).
    settings.LUNTAN = {**settings.LUNTAN, "RATE_LIMITS": {}}
    run_state_machine_as_test(
        PostLife,
        settings=hypothesis_settings(
            max_examples=25, stateful_step_count=30, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
