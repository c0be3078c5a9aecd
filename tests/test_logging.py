"""What the server writes to standard error: each log record once."""

import io
import logging

import pytest


def reachable_stream_handlers(logger):
    """The stream handlers a record logged on ``logger`` reaches, following propagation (pytest's
    own capturing handlers left out)."""
    while logger is not None:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and not type(
                handler
            ).__module__.startswith("_pytest"):
                yield handler
        logger = logger.parent if logger.propagate else None


def printed_lines(logger_name, level, message):
    """The lines written to every stream when ``logger_name`` logs ``message``."""
    logger = logging.getLogger(logger_name)
    handlers = list(reachable_stream_handlers(logger))
    output = io.StringIO()
    streams = [handler.setStream(output) for handler in handlers]
    try:
        logger.log(level, message)
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
    return output.getvalue().splitlines()


@pytest.fixture
def development(settings):
    """runserver's case: Django's console handler writes only with DEBUG on."""
    settings.DEBUG = True


def test_a_development_server_request_line_is_printed_once(development):
    lines = printed_lines("django.server", logging.INFO, '"GET / HTTP/1.1" 200 5120')

    assert len(lines) == 1
    assert lines[0].endswith('"GET / HTTP/1.1" 200 5120')


def test_a_not_found_warning_is_printed_once(development):
    lines = printed_lines("django.request", logging.WARNING, "Not Found: /favicon.ico")

    assert len(lines) == 1
    assert "WARNING django.request: Not Found: /favicon.ico" in lines[0]


def test_django_info_messages_stay_below_the_default_log_level(development):
    assert printed_lines("django.utils.autoreload", logging.INFO, "Watching for changes") == []
