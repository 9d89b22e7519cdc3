"""Form helpers shared by every page that posts user text."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luntan.errors import UserError


def render_rejected(request: HttpRequest, template: str, context: dict, error: UserError) -> HttpResponse:
    """Show the form again with the reason and everything the user typed."""
    context = {**context, "error": error.message, "error_field": error.field, "form": request.POST}
    return render(request, template, context, status=error.status)
