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


def document_errors(result, generator, request, public):
    """Every operation answers 400 or 404 with a JSON object when asked for what is not there."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for status, description in ERRORS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    return result
