"""Uploaded media served by the app itself while the default storage is the
filesystem (`var/media`). With S3-compatible storage the files' URLs point at
the bucket (or its custom domain) and this view answers 404.

django.views.static.serve does the file work: the path is joined to the root
with safe_join (no `..`, no absolute paths, no symlink escapes out of the
root's tree by name), directories are never listed, If-Modified-Since is
honoured and the file is streamed. Only image types are served, each with its
own Content-Type, `nosniff`, a sandboxing CSP (so even a file that somehow
held markup could not run script on this origin), and a year-long immutable
cache: stored names are random and never reused.
"""

import mimetypes
import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

SERVED_TYPES = {"image/webp", "image/jpeg", "image/png", "image/gif"}
CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded image; anything else (missing, not an image, not on this
    disk) is a bare 404: an image's address is no page to dress in the site's frame."""
    try:
        return _image(request, path)
    except Http404:
        return HttpResponseNotFound(b"", content_type="text/plain")


def _image(request: HttpRequest, path: str) -> HttpResponse:
    if not isinstance(default_storage, FileSystemStorage):
        raise Http404("media is not on the filesystem")
    content_type, encoding = mimetypes.guess_type(path)
    if content_type not in SERVED_TYPES or encoding:
        raise Http404("not an image")
    response = serve(request, path, document_root=default_storage.location)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = CACHE_CONTROL
    return response


def urlpattern():
    """The one URL pattern for urls.py: MEDIA_URL's path, when it is a path
    on this site (an absolute MEDIA_URL means someone else serves media)."""
    prefix = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/media/"
    return re_path(rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.+)$", serve_media, name="media")
