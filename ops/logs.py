"""Logs as JSON lines, without query strings.

Searches carry names, NHS numbers and postcodes in their query strings, so no log line
keeps one: `NoQueryStrings` cuts them from every message (Django's runserver lines
included), and the request log (ops.middleware) records the route, never the query.
"""

import datetime as dt
import json
import logging
import re

# A path followed by a query string: "/people/?name=Smith" keeps "/people/".
QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def strip_query_strings(text: str) -> str:
    return QUERY_STRING.sub(r"\1", text) if "?" in text else text


class NoQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = strip_query_strings(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and a record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
