"""What the OpenAPI schema says beyond what drf-spectacular infers from the views."""

ERROR = {
    "type": "object",
    "description": "What was wrong: a message, or the messages of each query parameter.",
    "additionalProperties": True,
}

ERRORS = {
    "400": "A query parameter is not valid (a filter, sort, page_size): each is named.",
    "404": "No such record, or a cursor that is not one of ours.",
}


PAGING = {"cursor", "page_size"}
# Filters naming a record by its slug (timeline.public.api.views.PublicViewSet.linked_filters).
SLUGS = {"actor", "source", "place", "indicator", "event", "measure", "target"}


def allow_empty_filters(result, generator, request, public):
    """A filter left empty is no filter, as in the tables' forms (``?kind=&q=``): say so; and a
    text filter takes any text but a NUL character."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query" or parameter["name"] in PAGING:
                    continue
                schema = parameter.get("schema", {})
                if "enum" in schema and "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
                elif parameter["name"] in SLUGS:
                    schema["pattern"] = "^[-a-zA-Z0-9_]*$"
                    parameter.setdefault("description", "A slug; empty for any.")
                elif schema.get("type") == "string" and "format" not in schema:
                    # Django's forms refuse a NUL character in text (400).
                    schema.setdefault("pattern", "^[^\\u0000]*$")
                elif schema.get("format") == "date":
                    parameter["schema"] = {
                        "anyOf": [
                            {"type": "string", "format": "date"},
                            {"type": "string", "maxLength": 0},
                        ]
                    }
    return result


DATE_RANGE_ERROR = (
    "A query parameter is not valid (a filter, sort, page_size), or the end date is before "
    "the start date: each is named."
)


def document_errors(result, generator, request, public):
    """Every operation answers 400 or 404 with a JSON object when asked for what is not there;
    a list with a date range also answers 400 to an end before its start."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            errors = dict(ERRORS)
            if {"start", "end"} <= names:
                errors["400"] = DATE_RANGE_ERROR
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    return result
