"""Uploaded images (avatars, cover images): checked, re-encoded, stored.

One way in: `store_image(upload, kind=ImageKind.AVATAR)` returns the storage
name of a freshly encoded image in Django's default storage (the filesystem
under `var/media`, or S3-compatible storage when LUNTAN_S3_BUCKET is set);
`image_url(name)` is its address and `delete_image(name)` removes it.

What comes in is never stored as it came:

- at most `LUNTAN["UPLOAD_MAX_BYTES"]` (2 MB) are read, plus one byte to know
  the file is larger (`TooLarge`);
- only what Pillow itself recognises as JPEG, PNG, GIF or WebP is opened; the
  file name and the client's content type are ignored (`Invalid`);
- the pixel count is checked from the header before anything is decoded
  (`MAX_PIXELS`), and Pillow's own decompression-bomb guard is caught too;
- so is the memory the decode will take: a JPEG is decoded straight at the
  smallest 1/2, 1/4 or 1/8 scale that still covers the size we keep, and
  what any image then needs (width × height × the bytes a pixel of its mode
  takes, plus one RGB(A) working copy) must fit `LUNTAN["UPLOAD_DECODE_MAX_BYTES"]`
  (`TooLarge`): a 155 KB PNG of 6,320 × 6,320 RGBA pixels is under the pixel
  cap but would take 320 MB;
- all decodes of one process together hold at most
  `LUNTAN["UPLOAD_DECODE_PROCESS_BYTES"]`: a decode that does not fit waits
  for others to finish (`decode_budget`), so a dozen parallel uploads queue
  instead of each taking its share of memory at once;
- truncated or corrupt data fails the full decode (`Invalid`);
- the EXIF orientation is applied, then the pixels alone are copied into a new
  image, so EXIF (GPS included), XMP, ICC profiles, comments and anything
  appended to the file (an HTML/script polyglot) are gone;
- the result is encoded afresh as WebP under a random name
  (`avatars/<uuid>.webp`); the uploader's file name is never used.

Why WebP for everything: one encoder for photographs and for images with
transparency (JPEG has no alpha, PNG is several times larger for photos);
every browser Luntan supports shows it; a single output type keeps the served
Content-Type fixed (`image/webp`). Animated GIF/WebP keep their first frame
only: avatars and covers are still images, and decoding a single frame bounds
the work an upload can cause.
"""

from __future__ import annotations

import enum
import io
import math
import re
import struct
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageMode, ImageOps, UnidentifiedImageError

from luntan.errors import Invalid, RateLimited, TooLarge

# Larger than any camera an avatar or a cover needs (a 40 MP photo), far below
# what would exhaust a worker's memory when decoded (40 MP × 4 bytes = 160 MB).
MAX_PIXELS = 40_000_000
# Pillow's names for what may come in. MPO is the multi-picture JPEG many
# phones and cameras write; Pillow opens it through its JPEG plugin.
_OPEN_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
_ACCEPTED = {"JPEG", "MPO", "PNG", "GIF", "WEBP"}
WEBP_QUALITY = 85

MSG_UNSUPPORTED = "只能上传 JPEG、PNG、GIF 或 WebP 图片。"
MSG_BROKEN = "图片已损坏或不完整，请重新导出后再上传。"
MSG_EMPTY = "请选择一张图片。"
MSG_BUSY = "服务器正在处理很多图片，请稍后再上传。"
# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class _Spec:
    directory: str
    box: tuple[int, int]  # avatar: exact size after a centred crop; cover: bounding box
    crop: bool


class ImageKind(enum.Enum):
    """What an image is for; decides its size and where it is kept."""

    AVATAR = "avatar"  # 256 × 256, centred square crop
    COVER = "cover"  # at most 1600 wide, aspect kept (at most 3200 tall: WebP stops at 16383)

    @property
    def spec(self) -> _Spec:
        return _SPECS[self]


_SPECS = {
    ImageKind.AVATAR: _Spec("avatars", (256, 256), crop=True),
    ImageKind.COVER: _Spec("covers", (1600, 3200), crop=False),
}
_NAME_RE = re.compile(r"^(?:%s)/[0-9a-f]{32}\.webp$" % "|".join(s.directory for s in _SPECS.values()))


def max_bytes() -> int:
    return settings.LUNTAN["UPLOAD_MAX_BYTES"]


def format_mb(n: int) -> str:
    """Bytes as MB (2**20) with at most one decimal, rounded up so that a file
    just over the limit never reads as equal to it: 2 MB, 2.1 MB, 3.4 MB."""
    tenths = math.ceil(n * 10 / (1024 * 1024))
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _known_size(upload) -> int | None:
    """The size without reading: Django's UploadedFile.size counts the bytes
    actually received (not what the client declared); other seekable files
    are asked for their end."""
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    try:
        if upload.seekable():
            return upload.seek(0, io.SEEK_END)
    except (AttributeError, OSError, ValueError):
        pass
    return None


def _too_large(size: int | None, field: str | None) -> TooLarge:
    limit = max_bytes()
    detail = f"（这张 {format_mb(size)} MB）" if size and size > limit else ""
    return TooLarge(f"图片不能超过 {format_mb(limit)} MB{detail}。", field=field)


def _read_limited(upload, field: str | None) -> bytes:
    limit = max_bytes()
    size = _known_size(upload)
    if size is not None and size > limit:
        raise _too_large(size, field)  # refused unread
    try:
        upload.seek(0)
    except (AttributeError, OSError, ValueError):
        pass  # a stream that cannot seek is read from where it stands
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(size, field)
    if not data:
        raise Invalid(MSG_EMPTY, field=field)
    return data


def decode_max_bytes() -> int:
    return settings.LUNTAN["UPLOAD_DECODE_MAX_BYTES"]


def _bytes_per_pixel(mode: str) -> int:
    """What a pixel of `mode` takes in Pillow's memory: one byte for 1, L and P,
    a lone band at its own width (I;16: 2, I and F: 4), and four bytes for every
    mode of several bands, RGB and LA included."""
    described = ImageMode.getmode(mode)
    if len(described.bands) > 1:
        return 4
    return int(described.typestr[-1])


def decoding_bytes(size: tuple[int, int], mode: str) -> int:
    """The memory decoding an image of `size` and `mode` holds at its peak: its
    pixels, plus one RGB(A) working copy (the conversion to RGB(A), or the turn
    upright and the resize, each of which copies the pixels once)."""
    width, height = size
    return width * height * (_bytes_per_pixel(mode) + 4)


def _quarter_turned(im: Image.Image) -> bool:
    """Whether the EXIF orientation swaps width and height. Only for formats
    whose EXIF is read with the header (a PNG's may follow the pixels)."""
    try:
        return im.getexif().get(_EXIF_ORIENTATION) in _QUARTER_TURNS
    except Exception:  # a malformed EXIF block: exif_transpose ignores it too
        return False


def _needed_size(size: tuple[int, int], spec: _Spec, turned: bool) -> tuple[int, int]:
    """The smallest size, as stored, from which `_resize` makes the kept image
    without enlarging: an avatar's crop covers its box, a cover fits its box."""
    width, height = (size[1], size[0]) if turned else size
    box_width, box_height = spec.box
    if spec.crop:
        scale = max(box_width / width, box_height / height)
    else:
        scale = min(box_width / width, box_height / height, 1)
    needed = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
    return (needed[1], needed[0]) if turned else needed


class DecodeBudget:
    """The bytes the decodes of this process hold together. A decode that does
    not fit waits (gunicorn's threads share one process) until others finish,
    at most `UPLOAD_DECODE_WAIT_SECONDS`, then is refused as busy."""

    def __init__(self):
        self._held = 0
        self._changed = threading.Condition()

    @property
    def held(self) -> int:
        """The bytes the process's decodes hold now."""
        return self._held

    @contextmanager
    def holding(self, nbytes: int, *, field: str | None = None):
        total = settings.LUNTAN["UPLOAD_DECODE_PROCESS_BYTES"]
        wait = settings.LUNTAN["UPLOAD_DECODE_WAIT_SECONDS"]
        nbytes = min(nbytes, total)  # one image over the process budget is refused before it asks
        with self._changed:
            if not self._changed.wait_for(lambda: self._held + nbytes <= total, timeout=wait):
                raise RateLimited(MSG_BUSY, retry_after=max(1, math.ceil(wait)), field=field)
            self._held += nbytes
        try:
            yield
        finally:
            with self._changed:
                self._held -= nbytes
                self._changed.notify_all()


decode_budget = DecodeBudget()


def _open(data: bytes, spec: _Spec, field: str | None) -> Image.Image:
    """The image with its header read and nothing decoded; a JPEG set to decode
    at the smallest scale that still covers what we keep."""
    try:
        im = Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
    except UnidentifiedImageError:
        raise Invalid(MSG_UNSUPPORTED, field=field) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (MAX_IMAGE_PIXELS): raised at twice its limit, or
        # at once where its warning is configured as an error.
        raise _too_many_pixels(field) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise Invalid(MSG_BROKEN, field=field) from None
    if im.format not in _ACCEPTED:  # formats= already ensures it; kept as the rule's statement
        raise Invalid(MSG_UNSUPPORTED, field=field)
    width, height = im.size
    if width < 1 or height < 1:
        raise Invalid(MSG_BROKEN, field=field)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(field)
    if im.format in ("JPEG", "MPO"):
        # 1/2, 1/4 or 1/8 scale straight from the DCT data: a 24 MP photo
        # becomes an avatar from 0.4 MP, never from 96 MB of pixels.
        try:
            im.draft(im.mode, _needed_size(im.size, spec, _quarter_turned(im)))
        except (OSError, ValueError):
            raise Invalid(MSG_BROKEN, field=field) from None
    return im


def _decode(im: Image.Image, field: str | None) -> Image.Image:
    """The first frame, fully decoded, upright, in RGB or RGBA."""
    try:
        im.load()  # the full decode: a truncated or corrupt file fails here
        try:
            im = ImageOps.exif_transpose(im)
        except Exception:  # a malformed EXIF block: the pixels are fine, keep them as stored
            pass
        has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        target = "RGBA" if has_alpha else "RGB"
        if im.mode != target:  # the same mode would only be copied
            im = im.convert(target)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise Invalid(MSG_BROKEN, field=field) from None
    return im


def _too_much_memory(field: str | None) -> TooLarge:
    return TooLarge(
        f"图片解码后太大（每张最多 {format_mb(decode_max_bytes())} MB）：请缩小尺寸后再上传，"
        "或改用 JPEG 格式。",
        field=field,
    )


def _too_many_pixels(field: str | None) -> TooLarge:
    return TooLarge(f"图片尺寸太大：最多 {MAX_PIXELS // 1_000_000} 百万像素。", field=field)


def _resize(im: Image.Image, spec: _Spec) -> Image.Image:
    if spec.crop:
        return ImageOps.fit(im, spec.box, method=Image.Resampling.LANCZOS)
    im.thumbnail(spec.box, Image.Resampling.LANCZOS)  # only ever shrinks
    return im


def _encode(im: Image.Image) -> bytes:
    # Pixels only: a new image from the raw bytes carries no info, EXIF, XMP or ICC.
    clean = Image.frombytes(im.mode, im.size, im.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def store_image(upload, *, kind: ImageKind, field: str | None = None) -> str:
    """Check, re-encode and store an uploaded image; returns its storage name.

    `upload` is any binary file object (Django's UploadedFile, an open file,
    BytesIO). `field` names the form field for the error (default: the kind's
    value, "avatar" or "cover"). Raises `TooLarge` (over the byte limit,
    `MAX_PIXELS` or the decoding memory), `Invalid` (not JPEG/PNG/GIF/WebP,
    empty, truncated, corrupt) or `RateLimited` (the process's decoding memory
    stayed taken too long); nothing is stored then.
    """
    kind = ImageKind(kind)
    field = field or kind.value
    spec = kind.spec
    data = _read_limited(upload, field)
    im = _open(data, spec, field)
    cost = decoding_bytes(im.size, im.mode)
    if cost > decode_max_bytes():
        raise _too_much_memory(field)
    with decode_budget.holding(cost, field=field):
        im = _decode(im, field)
        try:
            encoded = _encode(_resize(im, spec))
        except (OSError, ValueError):
            raise Invalid(MSG_BROKEN, field=field) from None
        del im  # the pixels go before the budget they were counted against
    name = f"{spec.directory}/{uuid.uuid4().hex}.webp"
    return default_storage.save(name, ContentFile(encoded))


def image_url(name: str) -> str:
    """The address a browser loads the stored image from."""
    return default_storage.url(name)


def delete_image(name: str | None) -> None:
    """Remove a stored image; a missing file (or no name) is not an error.
    Only names `store_image` makes are accepted: anything else is a bug."""
    if not name:
        return
    if not _NAME_RE.match(name):
        raise ValueError(f"not an image name made by store_image: {name!r}")
    try:
        default_storage.delete(name)
    except FileNotFoundError:
        pass
