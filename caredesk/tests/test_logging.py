import logging

from caredesk.logging_filters import RedactPhiFilter


class DriverError(Exception):
    sqlstate = "23505"


def format_exception_record(exc: Exception) -> str:
    try:
        raise exc
    except Exception:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    record.request = object()
    assert RedactPhiFilter().filter(record) is True
    return logging.Formatter().format(record), record


PHONE = "+1" + "5550100001"  # built, so the traceback's source line does not contain it


def test_exception_values_are_redacted_but_sqlstate_kept():
    try:
        raise RuntimeError(f"duplicate key value ({PHONE})") from DriverError(f"Key (value)=({PHONE})")
    except RuntimeError as exc:
        text, record = format_exception_record(exc)

    assert PHONE not in text
    assert text.splitlines()[-1] == "RuntimeError: [redacted; 23505]"
    assert record.request is None


def test_plain_exception_is_redacted():
    dob = "-".join(("1971", "04", "02"))
    text, _record = format_exception_record(ValueError(f"date of birth {dob} is invalid"))

    assert dob not in text
    assert text.splitlines()[-1] == "ValueError: [redacted]"
