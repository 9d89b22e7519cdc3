"""Images stored on S3-compatible storage through django-storages, against a
real S3 HTTP server (moto's) on 127.0.0.1, and the settings that pick it."""

import io
import json
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from images_helpers import jpeg_with_gps_and_orientation, png_with_transparency, upload
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3Storage

from luntan import settings as luntan_settings
from luntan.errors import Invalid
from luntan.images import ImageKind, delete_image, image_url, store_image

BUCKET = "luntan-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    ],
}
KEYS = {"access_key": "test-access", "secret_key": "test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """A fresh bucket, and the default storage pointed at it as settings.py
    does when LUNTAN_S3_BUCKET is set."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                **KEYS,
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_image_is_stored_in_the_bucket_and_read_back(s3, s3_endpoint):
    assert isinstance(default_storage, S3Storage)
    name = store_image(upload(jpeg_with_gps_and_orientation(), "IMG_0001.JPG"), kind=ImageKind.COVER)

    assert keys(s3) == [name]
    obj = s3.get_object(Bucket=BUCKET, Key=name)
    assert obj["ContentType"] == "image/webp"
    data = obj["Body"].read()
    im = Image.open(io.BytesIO(data))
    assert im.format == "WEBP" and im.size == (200, 400)
    assert not im.getexif()

    url = image_url(name)
    assert url == f"{s3_endpoint}/{BUCKET}/{name}"
    assert "Signature" not in url and "X-Amz" not in url  # plain, cacheable URL
    # Objects get no ACL of their own: the bucket's policy decides. Private
    # by default; once the operator makes it public, a browser loads the URL.
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(url, timeout=10)
    assert denied.value.code == 403
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/webp"
        assert response.read() == data


def test_delete_from_the_bucket(s3):
    name = store_image(upload(png_with_transparency(), "a.png"), kind=ImageKind.AVATAR)
    assert keys(s3) == [name]
    delete_image(name)
    assert keys(s3) == []
    delete_image(name)  # gone already: fine


def test_refused_upload_leaves_the_bucket_empty(s3):
    with pytest.raises(Invalid):
        store_image(upload(b"GIF89a not really"), kind=ImageKind.AVATAR)
    assert keys(s3) == []


def test_custom_domain_makes_the_urls(s3, settings):
    name = store_image(upload(png_with_transparency(), "a.png"), kind=ImageKind.AVATAR)
    settings.STORAGES["default"]["OPTIONS"]["custom_domain"] = "img.example.org"
    settings.STORAGES = {**settings.STORAGES}  # announce the change
    assert image_url(name) == f"https://img.example.org/{name}"


# --- what settings.py makes of the environment --------------------------------


S3_VARIABLES = [
    "LUNTAN_S3_BUCKET",
    "LUNTAN_S3_ENDPOINT_URL",
    "LUNTAN_S3_ACCESS_KEY",
    "LUNTAN_S3_SECRET_KEY",
    "LUNTAN_S3_REGION",
    "LUNTAN_S3_CUSTOM_DOMAIN",
]


def test_filesystem_under_var_media_by_default(monkeypatch):
    for variable in S3_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    storage = luntan_settings._media_storage()
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["location"] == luntan_settings.VAR_DIR / "media"
    assert luntan_settings.MEDIA_URL == "/media/"


def test_s3_when_a_bucket_is_named(monkeypatch):
    for variable in S3_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LUNTAN_S3_BUCKET", "pics")
    monkeypatch.setenv("LUNTAN_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("LUNTAN_S3_ACCESS_KEY", "AK")
    monkeypatch.setenv("LUNTAN_S3_SECRET_KEY", "SK")
    monkeypatch.setenv("LUNTAN_S3_REGION", "cn-north-1")
    storage = luntan_settings._media_storage()
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "pics",
            "endpoint_url": "https://s3.example.org",
            "access_key": "AK",
            "secret_key": "SK",
            "region_name": "cn-north-1",
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    monkeypatch.setenv("LUNTAN_S3_CUSTOM_DOMAIN", "img.example.org")
    assert luntan_settings._media_storage()["OPTIONS"]["custom_domain"] == "img.example.org"
