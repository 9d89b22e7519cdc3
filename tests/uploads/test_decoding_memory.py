"""What an upload may cost in memory: a small file that decodes to hundreds of
megabytes is refused before it is decoded, a large JPEG is decoded no larger
than the image we keep, one process decodes at most its budget at once, and
each member may upload only so many images."""

import json
import math
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from images_helpers import encode, png_chunk, two_halves, upload
from PIL import Image

from luntan import images
from luntan.columns.services import open_column
from luntan.errors import RateLimited, TooLarge
from luntan.images import ImageKind, store_image

MB = 1024 * 1024
SRC = Path(images.__file__).resolve().parents[1]


def flat_png(width: int, height: int) -> bytes:
    """An RGBA PNG of one colour, small as a file and cheap to make at any size:
    one band of rows is compressed once (a full flush makes it stand alone) and
    repeated, so neither the pixels nor their compression are ever all in memory."""
    row = b"\x00" + b"\x7f" * (width * 4)  # filter type 0, then the pixels
    band = math.gcd(height, 64)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate; the zlib wrapping is ours
    repeated = compressor.compress(row * band) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(height):
        checksum = zlib.adler32(row, checksum)
    stream = (b"\x78\xda" + repeated * (height // band) + compressor.flush()
              + checksum.to_bytes(4, "big"))
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", stream) + png_chunk(b"IEND", b"")


# --- one image -----------------------------------------------------------------


MEASURE = """
import io, json, resource, sys
import django
django.setup()
from django.conf import settings
from luntan import images
from luntan.errors import TooLarge
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    images.store_image(io.BytesIO(data), kind=images.ImageKind.AVATAR)
    outcome = "stored"
except TooLarge as error:
    outcome = error.message
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": outcome, "grown_kb": grown}))
"""


def test_small_png_that_would_decode_to_300_mb_is_refused_without_decoding(tmp_path):
    # The probe's file: 6,320 × 6,320 RGBA is under the 40-megapixel cap, yet its
    # pixels take 160 MB and their RGBA copy as much again.
    bomb = flat_png(6320, 6320)
    assert len(bomb) < 200_000 and 6320 * 6320 < images.MAX_PIXELS
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "luntan.settings", "PYTHONPATH": str(SRC),
           "LUNTAN_VAR_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", MEASURE], input=bomb, capture_output=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    measured = json.loads(run.stdout.decode().strip().splitlines()[-1])
    assert measured["outcome"] == "图片解码后太大（每张最多 96 MB）：请缩小尺寸后再上传，或改用 JPEG 格式。"
    assert measured["grown_kb"] < 20 * 1024  # refused from the header: no pixels were decoded


def test_the_decoding_budget_counts_the_mode(media_root, settings):
    settings.LUNTAN = {**settings.LUNTAN, "UPLOAD_DECODE_MAX_BYTES": 10 * MB}
    # 1,000 × 1,000: as RGBA 4 bytes a pixel plus the working copy (8 MB) fits;
    # the same size greyscale (1 + 4 bytes) fits too; 1,200 × 1,200 RGBA does not.
    assert store_image(upload(flat_png(1000, 1000), "a.png"), kind=ImageKind.AVATAR)
    assert store_image(upload(encode(Image.new("L", (1200, 1200), 90), "PNG"), "g.png"), kind=ImageKind.AVATAR)
    with pytest.raises(TooLarge, match=r"图片解码后太大（每张最多 10 MB）"):
        store_image(upload(flat_png(1200, 1200), "b.png"), kind=ImageKind.AVATAR)


@pytest.fixture(scope="module")
def photo():
    """A 12-megapixel picture (48 MB of pixels once decoded)."""
    return two_halves((4000, 3000))


def test_a_jpeg_larger_than_needed_is_decoded_reduced_and_kept_at_its_size(media_root, settings, photo):
    # A budget the full picture exceeds three times over: as PNG it is refused,
    # as JPEG it is decoded at half scale (2000 × 1500), which still covers 1600 × 1200.
    settings.LUNTAN = {**settings.LUNTAN, "UPLOAD_DECODE_MAX_BYTES": 32 * MB}
    with pytest.raises(TooLarge, match="图片解码后太大"):
        store_image(upload(encode(photo, "PNG", compress_level=1), "photo.png"), kind=ImageKind.COVER)
    jpeg = encode(photo, "JPEG", quality=85)
    cover = store_image(upload(jpeg), kind=ImageKind.COVER)
    avatar = store_image(upload(jpeg), kind=ImageKind.AVATAR)
    assert Image.open(media_root / cover).size == (1600, 1200)
    assert Image.open(media_root / avatar).size == (256, 256)


def test_a_turned_phone_photo_is_decoded_no_smaller_than_its_upright_cover(media_root):
    # 12 megapixels decoded whole take 96 MB: the default budget holds them.
    # Stored 6000 × 2000 with EXIF orientation 6: shown 2000 × 6000, a cover of
    # about 1067 × 3200. Reduced as if it were not turned (to 3000 × 1000), it
    # would come out smaller, at 1000 × 3000.
    exif = Image.Exif()
    exif[0x0112] = 6
    turned = encode(two_halves((6000, 2000)), "JPEG", quality=85, exif=exif)
    cover = store_image(upload(turned), kind=ImageKind.COVER)
    assert Image.open(media_root / cover).size == (1067, 3200)


# --- the process ----------------------------------------------------------------


def test_a_decode_waits_while_the_process_budget_is_taken_then_says_busy(media_root, settings):
    settings.LUNTAN = {**settings.LUNTAN, "UPLOAD_DECODE_PROCESS_BYTES": 64 * MB, "UPLOAD_DECODE_WAIT_SECONDS": 0.2}
    picture = upload(encode(two_halves(), "PNG"), "a.png")
    with images.decode_budget.holding(64 * MB):  # other uploads decoding right now
        with pytest.raises(RateLimited) as caught:
            store_image(picture, kind=ImageKind.AVATAR)
    assert caught.value.message == "服务器正在处理很多图片，请稍后再上传。"
    assert caught.value.status == 429 and caught.value.retry_after == 1
    assert store_image(picture, kind=ImageKind.AVATAR)  # once they are done


def test_parallel_uploads_queue_for_the_process_budget_and_all_get_through(media_root, settings):
    # Room for one of these decodes at a time (1,500² RGBA: 18 MB); twelve arrive at once.
    settings.LUNTAN = {**settings.LUNTAN, "UPLOAD_DECODE_PROCESS_BYTES": 20 * MB, "UPLOAD_DECODE_WAIT_SECONDS": 60}
    data = flat_png(1500, 1500)
    held, lock = [], threading.Lock()
    results = []

    def one():
        name = store_image(upload(data, "a.png"), kind=ImageKind.AVATAR)
        with lock:
            results.append(name)

    watcher_stop = threading.Event()

    def watch():  # how much the process holds while they run
        while not watcher_stop.is_set():
            held.append(images.decode_budget.held)

    workers = [threading.Thread(target=one) for _ in range(12)]
    watcher = threading.Thread(target=watch)
    watcher.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    watcher_stop.set()
    watcher.join()
    assert len(results) == 12
    assert max(held) <= 20 * MB


# --- per member -----------------------------------------------------------------


@pytest.fixture
def tight_upload_limit(settings):
    settings.LUNTAN = {**settings.LUNTAN, "RATE_LIMITS": {"upload": [(2, 3600)]}}


@pytest.mark.django_db
def test_avatar_uploads_are_limited_per_member_on_the_page(alice, bob, media_root, tight_upload_limit):
    open_column(owner=alice, title="慢读史记", slug="slow-reading")
    browser = _signed_in(alice)
    for _ in range(2):
        form = {"title": "慢读史记", "intro": "", "avatar": upload(encode(two_halves(), "PNG"), "me.png")}
        assert browser.post("/c/slow-reading/settings/", form).status_code == 302
    form = {"title": "新名字", "intro": "", "avatar": upload(encode(two_halves(), "PNG"), "me.png")}
    refused = browser.post("/c/slow-reading/settings/", form)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 3500
    page = refused.content.decode()
    assert "上传图片太频繁，请 1 小时后再试。" in page
    assert 'value="新名字"' in page  # the form comes back as typed
    # Another member's count is their own.
    open_column(owner=bob, title="鲍勃说茶", slug="tea-talk")
    form = {"title": "鲍勃说茶", "intro": "", "avatar": upload(encode(two_halves(), "PNG"), "me.png")}
    assert _signed_in(bob).post("/c/tea-talk/settings/", form).status_code == 302


@pytest.mark.django_db
def test_cover_and_avatar_uploads_share_the_limit_in_the_api(alice, media_root, tight_upload_limit):
    from django.test import Client

    from luntan.accounts.services import issue_token
    from luntan.columns.services import write_article

    column = open_column(owner=alice, title="慢读史记", slug="slow-reading")
    article = write_article(author=alice, column=column, title="项羽本纪读后", body="项羽二十四岁起兵。")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=alice)}"}
    client = Client()

    def send(path):
        return client.post(f"/api/v1{path}", {"file": upload(encode(two_halves(), "PNG"), "a.png")}, **auth)

    assert send("/columns/slow-reading/avatar").status_code == 200
    assert send(f"/articles/{article.pk}/cover").status_code == 200
    refused = send(f"/articles/{article.pk}/cover")
    assert refused.status_code == 429
    assert refused.json()["detail"] == "上传图片太频繁，请 1 小时后再试。"
    assert refused["Retry-After"]


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
