"""What a page shows when a selector or service refuses: the site's own error
page, in Chinese, with the refusal's status (404 for NotFound, 403 for
NotAllowed …). Selectors raise `luntan.errors.NotFound`, never Http404, so
the pages and the API read through the same functions; the API turns the same
errors into JSON itself (`api.routes`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luntan.errors import RateLimited, UserError


class UserErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UserError) or request.path.startswith("/api/"):
            return None
        response = render(request, "web/error.html", {"message": exception.message}, status=exception.status)
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: an address that matches nothing, in the site's own words."""
    return render(request, "web/error.html", {"message": "页面不存在。", "back": "/"}, status=404)
