"""The upload pipeline as a user meets it: what is accepted comes back as a
fresh, clean, upright WebP of the right size; what is refused says why and
leaves nothing behind."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from images_helpers import (
    BLUE,
    RED,
    animated_gif,
    encode,
    files_under,
    jpeg_with_gps_and_orientation,
    noise,
    png_claiming,
    png_with_transparency,
    two_halves,
    upload,
    webp_chunks,
)
from PIL import Image

from luntan import images
from luntan.errors import Invalid, TooLarge
from luntan.images import ImageKind, delete_image, image_url, store_image

MB = 1024 * 1024
UNSUPPORTED = "只能上传 JPEG、PNG、GIF 或 WebP 图片。"
BROKEN = "图片已损坏或不完整，请重新导出后再上传。"


def stored(name: str) -> bytes:
    with default_storage.open(name) as f:
        return f.read()


def close(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def assert_clean_webp(data: bytes):
    """A fresh WebP with pixels and nothing else."""
    chunks = webp_chunks(data)
    assert not {b"EXIF", b"ICCP", b"XMP "} & set(chunks), chunks
    assert b"ANIM" not in chunks
    im = Image.open(io.BytesIO(data))
    assert im.format == "WEBP"
    assert not im.getexif()
    assert not {"exif", "icc_profile", "xmp"} & set(im.info)


# --- accepted ---------------------------------------------------------------


def test_phone_photo_is_turned_upright_and_loses_gps_and_all_metadata(media_root):
    original = jpeg_with_gps_and_orientation()
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(0x8825)[1] == "N"  # the input really carries a position
    assert "icc_profile" in source.info

    name = store_image(upload(original, "IMG_0001.JPG"), kind=ImageKind.COVER)

    assert re.fullmatch(r"covers/[0-9a-f]{32}\.webp", name)
    assert "IMG_0001" not in name
    data = stored(name)
    assert data != original
    assert_clean_webp(data)
    for needle in (b"LuntanCam", b"Model 7", b"home address", b"GPS"):
        assert needle not in data
    im = Image.open(io.BytesIO(data)).convert("RGB")
    assert im.size == (200, 400)  # stored 400×200, shown rotated
    assert close(im.getpixel((100, 50)), RED)  # the left half is now on top
    assert close(im.getpixel((100, 350)), BLUE)


def test_avatar_is_a_square_crop_of_the_centre(media_root):
    # 600×200: blue bands left and right, red in the middle third.
    im = Image.new("RGB", (600, 200), BLUE)
    im.paste(RED, (200, 0, 400, 200))
    name = store_image(upload(encode(im, "PNG"), "me.png"), kind=ImageKind.AVATAR)

    assert re.fullmatch(r"avatars/[0-9a-f]{32}\.webp", name)
    out = Image.open(io.BytesIO(stored(name))).convert("RGB")
    assert out.size == (256, 256)
    assert close(out.getpixel((5, 128)), RED) and close(out.getpixel((250, 128)), RED)


def test_small_avatar_is_scaled_up_to_the_avatar_size(media_root):
    name = store_image(upload(encode(two_halves((40, 40)), "JPEG")), kind=ImageKind.AVATAR)
    assert Image.open(io.BytesIO(stored(name))).size == (256, 256)


def test_transparent_png_keeps_its_transparency(media_root):
    name = store_image(upload(png_with_transparency(), "logo.png", "image/png"), kind=ImageKind.AVATAR)
    data = stored(name)
    assert_clean_webp(data)
    im = Image.open(io.BytesIO(data))
    assert im.mode == "RGBA" and im.size == (256, 256)
    assert im.getpixel((3, 3))[3] == 0  # corner: transparent
    assert im.getpixel((128, 128))[3] == 255  # centre: opaque green
    assert close(im.getpixel((128, 128))[:3], (30, 160, 60))


def test_wide_cover_is_shrunk_to_1600_wide_keeping_its_aspect(media_root):
    name = store_image(upload(encode(two_halves((3200, 1000)), "WEBP"), "wide.webp"), kind=ImageKind.COVER)
    data = stored(name)
    assert_clean_webp(data)
    assert Image.open(io.BytesIO(data)).size == (1600, 500)


def test_small_cover_is_not_enlarged(media_root):
    name = store_image(upload(encode(two_halves((640, 360)), "JPEG")), kind=ImageKind.COVER)
    assert Image.open(io.BytesIO(stored(name))).size == (640, 360)


def test_large_jpeg_photo_is_reduced(media_root):
    photo = encode(two_halves((4000, 3000)), "JPEG", quality=90)  # 12 MP, decoded at reduced scale
    assert len(photo) < 2 * MB
    name = store_image(upload(photo), kind=ImageKind.COVER)
    im = Image.open(io.BytesIO(stored(name))).convert("RGB")
    assert im.size == (1600, 1200)
    assert close(im.getpixel((100, 600)), RED) and close(im.getpixel((1500, 600)), BLUE)


def test_animated_gif_keeps_its_first_frame_as_a_still_image(media_root):
    original = animated_gif()
    assert Image.open(io.BytesIO(original)).n_frames == 2
    name = store_image(upload(original, "fun.gif", "image/gif"), kind=ImageKind.COVER)
    data = stored(name)
    assert_clean_webp(data)
    im = Image.open(io.BytesIO(data))
    assert getattr(im, "n_frames", 1) == 1
    assert im.size == (120, 80)
    assert close(im.convert("RGB").getpixel((10, 40)), RED)


def test_html_script_polyglots_are_stored_as_pixels_only(media_root):
    script = b"<script>alert(document.cookie)</script>"
    # A GIF whose comment is markup, and a JPEG with an HTML page appended.
    gif = animated_gif(comment=b"<html>" + script)
    jpeg = encode(two_halves(), "JPEG") + b"<!doctype html><html><body>" + script + b"</body></html>"
    for data, kind in [(gif, ImageKind.COVER), (jpeg, ImageKind.AVATAR)]:
        assert script in data
        name = store_image(upload(data, "x.html", "text/html"), kind=kind)
        out = stored(name)
        assert b"<script" not in out and b"<html" not in out
        assert_clean_webp(out)


def test_an_image_of_exactly_the_limit_is_accepted(media_root):
    data = png_with_transparency()
    data += b"\0" * (2 * MB - len(data))  # trailing bytes after IEND: still a PNG
    assert len(data) == 2 * MB
    assert store_image(upload(data, "edge.png"), kind=ImageKind.AVATAR)


def test_every_upload_gets_a_new_random_name(media_root):
    data = encode(two_halves(), "PNG")
    names = {store_image(upload(data, "same.png"), kind=ImageKind.AVATAR) for _ in range(3)}
    assert len(names) == 3
    assert len(files_under(media_root)) == 3


def test_delete_image_removes_it_and_ignores_what_is_gone(media_root):
    name = store_image(upload(encode(two_halves(), "PNG")), kind=ImageKind.AVATAR)
    assert default_storage.exists(name)
    delete_image(name)
    assert not default_storage.exists(name)
    delete_image(name)  # already gone
    delete_image("")
    delete_image(None)
    assert files_under(media_root) == []
    with pytest.raises(ValueError):
        delete_image("../secret_key")


def test_image_url_is_under_media_url(media_root):
    name = store_image(upload(encode(two_halves(), "PNG")), kind=ImageKind.AVATAR)
    assert image_url(name) == f"/media/{name}"


# --- refused ------------------------------------------------------------------


def refused(media_root, error, data, *, kind=ImageKind.AVATAR, name="photo.jpg", content_type="image/jpeg"):
    with pytest.raises(error) as caught:
        store_image(upload(data, name, content_type), kind=kind)
    assert files_under(media_root) == []
    assert caught.value.field == kind.value
    return caught.value.message


def test_text_file_named_jpg_is_refused(media_root):
    assert refused(media_root, Invalid, "这不是图片\n".encode() * 20) == UNSUPPORTED


def test_html_page_named_jpg_is_refused(media_root):
    page = b"<!doctype html><html><script>alert(1)</script></html>"
    assert refused(media_root, Invalid, page) == UNSUPPORTED


def test_svg_is_refused(media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
    assert refused(media_root, Invalid, svg, name="a.svg", content_type="image/svg+xml") == UNSUPPORTED


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_real_images_in_other_formats_are_refused(media_root, fmt):
    data = encode(two_halves((64, 64)), fmt)
    assert refused(media_root, Invalid, data, name="photo.png", content_type="image/png") == UNSUPPORTED


def test_empty_file_is_refused(media_root):
    assert refused(media_root, Invalid, b"") == "请选择一张图片。"


def test_truncated_jpeg_is_refused(media_root):
    whole = encode(noise((400, 300)), "JPEG", quality=90)
    Image.open(io.BytesIO(whole)).load()  # the whole one is fine
    assert refused(media_root, Invalid, whole[: len(whole) * 6 // 10]) == BROKEN


def test_corrupt_png_is_refused(media_root):
    data = bytearray(encode(noise((200, 200)), "PNG"))
    data[200:400] = b"\xff" * 200  # inside IDAT: bad CRC / bad deflate stream
    assert refused(media_root, Invalid, bytes(data), name="p.png") == BROKEN


def test_file_over_2_mb_is_refused_naming_the_limit_and_its_size(media_root):
    data = encode(noise((1100, 1100)), "PNG")  # noise hardly compresses: ~3.5 MB
    assert 3.4 * MB < len(data) < 3.6 * MB
    message = refused(media_root, TooLarge, data, name="big.png")
    assert message == f"图片不能超过 2 MB（这张 {images.format_mb(len(data))} MB）。"
    assert re.fullmatch(r"图片不能超过 2 MB（这张 3\.[56] MB）。", message)


def test_one_byte_over_the_limit_is_refused(media_root):
    data = png_with_transparency()
    data += b"\0" * (2 * MB + 1 - len(data))
    assert refused(media_root, TooLarge, data) == "图片不能超过 2 MB（这张 2.1 MB）。"


def test_the_limit_comes_from_settings(media_root, settings):
    settings.LUNTAN = {**settings.LUNTAN, "UPLOAD_MAX_BYTES": 1024 * 1024}
    data = encode(noise((800, 800)), "PNG")  # ~1.9 MB
    assert refused(media_root, TooLarge, data).startswith("图片不能超过 1 MB（这张 ")


def test_decompression_bomb_claiming_20000_square_is_refused(media_root):
    bomb = png_claiming(20000, 20000)  # 400 megapixels in under 100 bytes
    assert len(bomb) < 100
    message = refused(media_root, TooLarge, bomb, name="tiny.png")
    assert message == "图片尺寸太大：最多 40 百万像素。"


def test_real_compressed_bomb_over_the_pixel_cap_is_refused(media_root):
    # 8000×6000 = 48 MP of one colour: a few kilobytes of PNG; decoded as RGB, 144 MB.
    bomb = encode(Image.new("1", (8000, 6000), 0), "PNG", optimize=True)
    assert len(bomb) < 100_000
    assert refused(media_root, TooLarge, bomb, name="tiny.png") == "图片尺寸太大：最多 40 百万像素。"


def test_refusal_names_the_form_field_asked_for(media_root):
    with pytest.raises(Invalid) as caught:
        store_image(upload(b"nope"), kind=ImageKind.COVER, field="cover_image")
    assert caught.value.field == "cover_image"
    assert caught.value.status == 422
    assert TooLarge("x").status == 413


# --- reading no more than the limit -------------------------------------------


class CountingStream(io.RawIOBase):
    """A stream of unknown length that cannot seek and counts what is read."""

    def __init__(self, total: int):
        self.left = total
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"\0" * n
        self.left -= n
        self.read_bytes += n
        return n


def test_stream_of_unknown_length_is_read_only_to_the_limit_plus_one(media_root):
    stream = CountingStream(50 * MB)
    with pytest.raises(TooLarge) as caught:
        store_image(stream, kind=ImageKind.AVATAR)
    assert stream.read_bytes == 2 * MB + 1
    assert caught.value.message == "图片不能超过 2 MB。"  # its size is unknown
    assert files_under(media_root) == []


def test_uploaded_file_known_too_large_is_refused_unread(media_root, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(media_root.parent)
    big = TemporaryUploadedFile("big.jpg", "image/jpeg", 0, None)
    big.write(b"\0" * (5 * MB))
    big.flush()
    big.size = 5 * MB
    big.seek(0)
    with pytest.raises(TooLarge, match=r"图片不能超过 2 MB（这张 5 MB）。"):
        store_image(big, kind=ImageKind.COVER)
    assert big.tell() == 0  # not a byte read
    big.close()
    assert files_under(media_root) == []


def test_seekable_file_is_read_from_its_start(media_root):
    f = SimpleUploadedFile("a.png", encode(two_halves(), "PNG"))
    f.read(10)  # something (a form validator) read a little already
    assert store_image(f, kind=ImageKind.AVATAR)


@pytest.mark.parametrize(
    "make",
    [
        lambda: encode(Image.new("CMYK", (120, 80), (0, 255, 0, 0)), "JPEG"),  # print-shop JPEG
        lambda: encode(Image.linear_gradient("L").convert("I;16"), "PNG"),  # 16-bit greyscale
        lambda: encode(Image.new("LA", (60, 60), (100, 128)), "PNG"),  # grey with alpha
        lambda: encode(Image.new("1", (60, 60), 1), "PNG"),  # bilevel
        lambda: encode(Image.new("RGBA", (60, 60), (1, 2, 3, 100)), "WEBP", lossless=True),
        lambda: encode(Image.new("RGB", (60, 60), RED), "PNG", save_all=True, append_images=[Image.new("RGB", (60, 60), BLUE)]),
    ],
    ids=["cmyk-jpeg", "16bit-png", "la-png", "1bit-png", "lossless-webp", "apng"],
)
def test_unusual_but_valid_images_are_accepted(media_root, make):
    name = store_image(upload(make()), kind=ImageKind.AVATAR)
    data = stored(name)
    assert_clean_webp(data)
    im = Image.open(io.BytesIO(data))
    assert im.size == (256, 256) and im.mode in ("RGB", "RGBA")
