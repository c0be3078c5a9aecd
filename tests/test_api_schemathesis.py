"""schemathesis runs every operation of /api/openapi.json against the app in process (its WSGI
application), with all of its checks: every answer must match the schema, and no input, valid or
not, may make a server error."""

import schemathesis
from hypothesis import HealthCheck, settings

from calais.wsgi import application

# Loaded when the module is collected: the schema needs no database. (schemathesis's
# from_fixture, which would load it inside the test, does not work with this pytest.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, article):
    # The requests run in this thread, in the test's transaction: they read the article.
    case.call_and_validate()
