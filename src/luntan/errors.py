"""Errors a user can cause. Services raise them; pages show the message next
to the kept input, the API turns them into JSON with `detail` and `status`."""


class UserError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(UserError):
    status = 422


class TooLarge(UserError):
    status = 413


class NotAllowed(UserError):
    status = 403


class NotFound(UserError):
    status = 404


class Conflict(UserError):
    status = 409


class RateLimited(UserError):
    """Too many of one thing too fast: the message says what and when to try
    again; `retry_after` (whole seconds) becomes the Retry-After header."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after
