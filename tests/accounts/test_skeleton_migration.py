"""Migration 0003 recomputes the name skeletons: members whose names the old
skeleton told apart but the new one does not both keep working accounts."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from conftest import PASSWORD
from luntan.accounts import services
from luntan.errors import Conflict

BEFORE = ("accounts", "0002_user_tip_links")
AFTER = ("accounts", "0003_recompute_name_skeletons")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_twins_under_the_new_skeleton_keep_their_accounts():
    old = migrate(BEFORE).get_model("accounts", "User")
    # What the old skeleton let in: it kept the Hangul filler and 値.
    for username, staff in [("站务老王", True), ("站务老王\u3164", False), ("价値投资者", False), ("价值投资者", False)]:
        old.objects.create(username=username, name_skeleton=username, password=make_password(PASSWORD), is_staff=staff)
    try:
        migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    for username in ("站务老王", "站务老王\u3164", "价値投资者", "价值投资者"):
        page = Client(REMOTE_ADDR="192.0.2.1")
        assert page.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
        assert page.post("/accounts/settings/", {"bio": "还在"}).status_code == 200  # saving the twin works
    with pytest.raises(Conflict, match="站务老王"):
        services.register(username="站務老王", password=PASSWORD)
    with pytest.raises(Conflict, match="价値投资者"):  # the older of the two
        services.register(username="價值投資者", password=PASSWORD)
