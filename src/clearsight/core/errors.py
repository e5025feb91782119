"""Domain errors: raised by services with a message a user can act on and the field it
concerns; views turn them into GOV.UK error summaries, the API into RFC 9457 problems."""

from __future__ import annotations


class DomainError(Exception):
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class PermissionDeniedError(DomainError):
    """The actor may not do this."""


class NotFoundError(DomainError):
    """The thing does not exist, or the actor may not know that it does."""


class InvalidInput(DomainError):
    """Several fields are wrong at once: each field with its own message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class StaleVersionError(DomainError):
    """Someone else changed the record since the caller read it (optimistic concurrency)."""
