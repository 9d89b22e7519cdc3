"""Form helpers shared by every page that posts user text."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from luntan.errors import RateLimited, UserError


def render_rejected(request: HttpRequest, template: str, context: dict, error: UserError) -> HttpResponse:
    """Show the form again with the reason and everything the user typed."""
    context = {**context, "error": error.message, "error_field": error.field, "form": request.POST}
    return with_retry_after(render(request, template, context, status=error.status), error)


def with_retry_after(response: HttpResponse, error: UserError) -> HttpResponse:
    """A rate-limited answer says when to come back (RFC 9110 Retry-After, in seconds)."""
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def safe_next_url(request: HttpRequest, default: str = "/") -> str:
    """Where a form's `next` says to go afterwards, if it is a path on this site; else `default`.
    Only a path (from "/"): redirect() reads anything else as the name of a view."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    is_path = target.startswith("/") and target.isprintable()
    if is_path and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
