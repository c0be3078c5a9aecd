"""Reading article files: size limit, UTF-8, JSON or YAML, a list of records."""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Location, fail

MAX_FILE_SIZE = 5 * 1024 * 1024
"""The largest article file accepted, in bytes (5 MB: far more than any one article needs)."""

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class ArticleFile:
    """One parsed article file: its name (for messages), its list of records, and the SHA-256
    of its bytes (to tell whether it changed since its last import)."""

    name: str
    records: list
    sha256: str = ""

    @property
    def article(self):
        """What identifies the file from one import to the next: its name without its folder,
        so that `make run` and an upload of the same file in the admin are the same article."""
        return Path(self.name).name


class _DuplicateKey(ValueError):
    pass


def _mapping_without_duplicates(pairs):
    mapping = {}
    for key, value in pairs:
        if key in mapping:
            raise _DuplicateKey(f"the key “{key}” appears twice in one object")
        mapping[key] = value
    return mapping


class _StrictSafeLoader(yaml.SafeLoader):
    """yaml.safe_load, except that a key given twice in one mapping is an error."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue  # unhashable key: construct_mapping below reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key “{key}” appears twice", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def file_format(name):
    """ "json" or "yaml", from the file name's extension."""
    extension = Path(name).suffix.lower()
    if extension not in FORMATS:
        fail(Location(name), "an article file's name must end in .json, .yaml or .yml")
    return FORMATS[extension]


def read_article(name, content):
    """Parse one article file's bytes into an :class:`ArticleFile`, or raise ImportFailed."""
    here = Location(name)
    if len(content) > MAX_FILE_SIZE:
        fail(here, f"the file is {len(content):,} bytes, over the limit of {MAX_FILE_SIZE:,}")
    fmt = file_format(name)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        fail(
            here,
            f"not UTF-8 text (byte 0x{content[error.start]:02x} at offset {error.start}); "
            "is it a binary file?",
        )
    if "\x00" in text:
        fail(here, "contains NUL bytes; is it a binary file?")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        fail(here, "the file is empty")
    data = _parse_json(text, here) if fmt == "json" else _parse_yaml(text, here)
    if data is None:
        fail(here, "the file is empty")
    if not isinstance(data, list):
        fail(
            here,
            f"the file must hold a list of records ([{{...}}, ...]), not {kind_of(data)}",
        )
    if not data:
        fail(here, "the file holds no records")
    return ArticleFile(name, data, hashlib.sha256(content).hexdigest())


def read_article_path(path):
    """Read and parse an article file from disk, checking its size before reading it."""
    path = Path(path)
    here = Location(str(path))
    try:
        size = path.stat().st_size
        if not path.is_file():
            fail(here, "not a file")
        if size > MAX_FILE_SIZE:
            fail(here, f"the file is {size:,} bytes, over the limit of {MAX_FILE_SIZE:,}")
        content = path.read_bytes()
    except OSError as error:
        fail(here, f"cannot be read: {error.strerror or error}")
    return read_article(str(path), content)


def _parse_json(text, here):
    try:
        return json.loads(text, object_pairs_hook=_mapping_without_duplicates)
    except json.JSONDecodeError as error:
        fail(here, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except _DuplicateKey as error:
        fail(here, f"not a valid article file: {error}")
    except RecursionError:
        fail(here, "not a valid article file: nested too deeply")
    except ValueError as error:  # for example an integer with thousands of digits
        fail(here, f"not valid JSON: {error}")


def _parse_yaml(text, here):
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        fail(here, f"not valid YAML: {error.problem or error.context}{where}")
    except yaml.YAMLError as error:
        fail(here, f"not valid YAML: {error}")
    except RecursionError:
        fail(here, "not a valid article file: nested too deeply")
    except (ValueError, TypeError, OverflowError) as error:
        fail(here, f"not valid YAML: {error}")


def kind_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__
