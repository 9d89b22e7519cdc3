def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_thread_page_shows_title_and_tree(client, thread, bob):
    from luntan.forum.services import reply

    answer = reply(author=bob, parent=thread, title="Re: 七个要点", body="")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert thread.title in page
    assert answer.title in page
    assert "(无内容)" in page
