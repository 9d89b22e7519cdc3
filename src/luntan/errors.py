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
