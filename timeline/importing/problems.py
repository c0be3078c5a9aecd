"""Problems found in an article file, each naming the file, the record and the field."""

import datetime
import decimal
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something is in the input: a file, and within it a record and its natural key."""

    file: str
    position: int | None = None
    model: str | None = None
    key: tuple | None = None

    def __str__(self):
        if self.position is None:
            return self.file
        if self.model is None:
            return f"{self.file}, record {self.position}"
        if self.key is None:
            return f"{self.file}, record {self.position} ({self.model})"
        return f"{self.file}, record {self.position} ({self.model} {key_as_written(self.key)})"


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    field: str | None = None

    def __str__(self):
        where = f"{self.location}, field “{self.field}”" if self.field else str(self.location)
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The input cannot be imported; nothing was written. ``problems`` says what and where."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class PreviewOutdated(ImportFailed):
    """The database changed between a dry run and its confirmation; nothing was written."""


def fail(location, message, field=None):
    raise ImportFailed([Problem(location, message, field)])


def as_written(value):
    """A value as an article file would write it: "text", 12, 44.5, true, null, ["slug"]."""
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, decimal.Decimal):
        # A number as written, whatever places the column keeps: 2000 is 2000.00.
        return format(value.normalize(), "f")
    return json.dumps(value, ensure_ascii=False)


def key_as_written(key):
    return as_written(key[0]) if len(key) == 1 else as_written(list(key))
