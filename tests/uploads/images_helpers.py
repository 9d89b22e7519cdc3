"""Images made in memory for the upload tests, and the storage they go to.

Not a conftest.py (a second one would shadow tests/conftest.py's module name);
the test modules import from here."""

import io
import os
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

RED, BLUE = (220, 20, 20), (20, 20, 220)



def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    im.save(out, format=fmt, **params)
    return out.getvalue()


def two_halves(size=(400, 200), left=RED, right=BLUE, mode="RGB") -> Image.Image:
    """Left half one colour, right half another: shows which way is up."""
    im = Image.new(mode, size, left)
    im.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return im


def noise(size=(300, 200)) -> Image.Image:
    return Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))


def jpeg_with_gps_and_orientation() -> bytes:
    """A phone photo: 400×200 as stored, EXIF orientation 6 (shown rotated
    90° clockwise, so 200×400 with red on top), GPS position, camera model,
    an ICC profile and an XMP packet."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW to display
    exif[0x010F] = "LuntanCam"  # Make
    exif[0x0110] = "Model 7"  # Model
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 50.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><secret>home address</secret></x:xmpmeta>'
    return encode(two_halves(), "JPEG", exif=exif, icc_profile=icc, xmp=xmp, quality=95)


def png_with_transparency(size=(300, 300)) -> bytes:
    """Transparent all round, an opaque green square in the middle."""
    im = Image.new("RGBA", size, (0, 0, 0, 0))
    w, h = size
    im.paste((30, 160, 60, 255), (w // 4, h // 4, 3 * w // 4, 3 * h // 4))
    return encode(im, "PNG")


def animated_gif(comment: bytes = b"") -> bytes:
    frames = [two_halves((120, 80)).convert("P"), two_halves((120, 80), BLUE, RED).convert("P")]
    params = {"comment": comment} if comment else {}
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0, **params)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header claims width × height RGB pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def webp_chunks(data: bytes) -> list[bytes]:
    """The chunk names of a WebP (RIFF) file, in order."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, pos = [], 12
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        names.append(kind)
        pos += 8 + size + (size & 1)
    return names
