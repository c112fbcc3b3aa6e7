"""The OpenAPI document declares each operation's 4xx answers as the one Error entity, and a
token as optional where an operation takes anonymous callers. No database: the document is
built from the routers alone."""

from api.api import api

DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    (f"{method.upper()} {path}", operation)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
]


def error_ref(response) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]


def test_the_error_entity_is_the_answer_the_api_gives():
    error = DOCUMENT["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert set(error["properties"]) == {"error", "rule", "until", "details"}


def test_every_operation_declares_the_edge_refusal_and_its_token_refusals():
    missing = []
    for name, operation in OPERATIONS:
        codes = set(operation["responses"])
        if "400" not in codes and 400 not in codes:
            missing.append((name, 400))
        if operation.get("security"):
            missing += [(name, c) for c in (401, 403) if c not in codes and str(c) not in codes]
    assert not missing


def test_writes_declare_404_413_and_422():
    for name, operation in OPERATIONS:
        if name.split()[0] in {"POST", "PUT", "PATCH", "DELETE"}:
            codes = {int(c) for c in operation["responses"]}
            assert {404, 413, 422} <= codes, name
            assert error_ref(operation["responses"][413]) == "#/components/schemas/Error", name


def test_a_token_is_optional_only_where_anonymous_callers_are_served():
    security = {name: op.get("security") for name, op in OPERATIONS}
    assert {} in security["GET /api/v1/timelines/public"]
    assert {} in security["GET /api/v1/accounts/{account_id}"]
    assert {} not in security["GET /api/v1/blocks"]
    assert security["GET /api/v1/instance"] is None
