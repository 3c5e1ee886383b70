"""The whole OpenAPI, probed by schemathesis with a few generated requests per operation: no server
error, and every status and content type an operation answers is documented."""

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import content_type_conformance, not_a_server_error, status_code_conformance

from coursier.runtime import connectors_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
# A few requests per operation, the same on every run: a failure here is a regression, never luck.
BOUNDED = hypothesis_settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def test_every_operation_answers_as_documented(app, tenant_a, sandbox_server):
    settings = app.state.settings
    for name, value in sandbox_server.directory_settings().items():
        setattr(settings, name, value)
    app.state.runtime.connectors = connectors_for(settings)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def probe(case):
            case.validate_response(case.call(headers=tenant_a.headers), checks=CHECKS)

        try:
            probe()
        except BaseExceptionGroup as exc:  # every operation is probed; all failures are reported together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
