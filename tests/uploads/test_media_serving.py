"""Stored images are served by the app at their URL (filesystem storage,
DEBUG off as under gunicorn): right type, nosniff, long cache, nothing else
reachable."""

import io

import pytest
from django.core.files.storage import default_storage
from images_helpers import (
    encode,
    jpeg_with_gps_and_orientation,
    png_with_transparency,
    two_halves,
    upload,
)
from PIL import Image

from luntan.images import ImageKind, image_url, store_image


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stored_avatar(media_root):
    return store_image(upload(jpeg_with_gps_and_orientation()), kind=ImageKind.AVATAR)


def test_debug_is_off_as_under_gunicorn(settings):
    assert settings.DEBUG is False


def test_stored_image_is_served_at_its_url(client, stored_avatar):
    url = image_url(stored_avatar)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    data = body(response)
    with default_storage.open(stored_avatar) as f:
        assert data == f.read()
    assert Image.open(io.BytesIO(data)).size == (256, 256)
    assert int(response["Content-Length"]) == len(data)


def test_head_and_conditional_get(client, stored_avatar):
    url = image_url(stored_avatar)
    assert client.head(url).status_code == 200
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.post(url).status_code == 405


def test_cover_served_too(client, media_root):
    name = store_image(upload(png_with_transparency(), "c.png"), kind=ImageKind.COVER)
    response = client.get(image_url(name))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


def test_missing_file_and_directories_are_404(client, stored_avatar):
    assert client.get("/media/avatars/0123456789abcdef0123456789abcdef.webp").status_code == 404
    assert client.get("/media/avatars/").status_code == 404
    assert client.get("/media/avatars").status_code == 404


def test_nothing_outside_the_media_root_is_reachable(client, media_root, stored_avatar):
    # A file right beside the media root, and the project's secret key file.
    (media_root.parent / "secret.webp").write_bytes(b"not for you")
    for url in [
        "/media/../secret.webp",
        "/media/%2e%2e/secret.webp",
        "/media/avatars/..%2f..%2fsecret.webp",
        "/media/%2fetc%2fpasswd",
        "/media//etc/hostname",
        "/media/avatars/%2e%2e/%2e%2e/secret.webp",
    ]:
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert b"not for you" not in body(response)


def test_only_images_are_served(client, media_root, stored_avatar):
    # Whatever else lands in the media directory is never served as a page.
    (media_root / "avatars" / "page.html").write_text("<script>alert(1)</script>")
    (media_root / "avatars" / "x.svg").write_text("<svg onload='alert(1)'/>")
    (media_root / "avatars" / "notes.txt").write_text("hello")
    for name in ("page.html", "x.svg", "notes.txt"):
        assert client.get(f"/media/avatars/{name}").status_code == 404


def test_not_served_by_the_app_when_storage_is_s3(client, settings, stored_avatar):
    url = image_url(stored_avatar)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "b"}},
    }
    assert client.get(url).status_code == 404


def test_png_and_jpeg_files_keep_their_own_type(client, media_root):
    # Not what store_image writes, but should an operator place one there.
    (media_root / "covers").mkdir(parents=True)
    (media_root / "covers" / "a.png").write_bytes(encode(two_halves(), "PNG"))
    (media_root / "covers" / "b.jpg").write_bytes(encode(two_halves(), "JPEG"))
    assert client.get("/media/covers/a.png")["Content-Type"] == "image/png"
    assert client.get("/media/covers/b.jpg")["Content-Type"] == "image/jpeg"
