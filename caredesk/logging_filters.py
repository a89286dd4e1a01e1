import logging


class RedactPhiFilter(logging.Filter):
    """Drop exception values and request objects from log records.

    Django attaches the request (with its body) to `django.request` records and exception messages may
    quote field values; the type and traceback location are enough to debug, the values are PHI.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, exc, tb = record.exc_info
            label = _redacted_label(exc)
            record.exc_info = (exc_type, exc_type(label) if _safe_to_build(exc_type) else None, tb)
            record.exc_text = None
        return True


def _safe_to_build(exc_type) -> bool:
    try:
        exc_type("[redacted]")
    except Exception:
        return False
    return True


def _redacted_label(exc) -> str:
    """Database errors keep their SQLSTATE code (e.g. 53300 too many connections): it says what went
    wrong without quoting the row values a driver's message may contain."""
    cause = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "sqlite_errorname", None)
    return f"[redacted; {sqlstate}]" if sqlstate else "[redacted]"
