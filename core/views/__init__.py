"""Pages shared by every app: the record form page, and core's own exchange rates page."""

from .records import RecordFormPage

__all__ = ["RecordFormPage"]
