"""The OpenAPI document describes exactly the API the server registers."""

import re

import pytest

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def registered_operations(app) -> set[tuple[str, str]]:
    """(path under /api/v1 in OpenAPI syntax, method) for every API route on the app."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operations.add((path, method.lower()))
    return operations


def documented_operations(document: dict) -> set[tuple[str, str]]:
    """(path, method) for every operation of the document."""
    return {(path, method) for path, item in document["paths"].items()
            for method in item if method in HTTP_METHODS}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_openapi_is_served_without_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_openapi_is_version_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "reviewtool API"
    assert document["servers"] == [{"url": "/api/v1"}]


def test_openapi_paths_equal_registered_routes(app, document):
    assert documented_operations(document) == registered_operations(app)


def test_registered_routes_include_the_project_operations(app):
    assert {("/projects/{project_id}", "patch"),
            ("/projects/{project_id}/transitions", "post"),
            ("/projects/{project_id}/history", "get"),
            ("/tokens", "post")} <= registered_operations(app)


def test_openapi_every_operation_lists_its_error_codes(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            codes = {int(c) for c in operation["responses"]}
            errors = {c for c in codes if c >= 400}
            assert any(c < 300 for c in codes), (path, method)
            if path != "/openapi.json":
                assert errors, (path, method)
            if operation.get("security") != []:  # needs a token, so it can be refused one
                assert 401 in errors, (path, method)
            if "{project_id}" in path:
                assert 404 in errors, (path, method)
            if "requestBody" in operation:
                assert 422 in errors, (path, method)
            for code in errors:
                schema = operation["responses"][str(code)]["content"]["application/json"]
                assert schema == {"schema": {"$ref": "#/components/schemas/Errors"}}


def test_openapi_error_codes_of_project_operations(document):
    paths = document["paths"]
    assert set(paths["/projects/{project_id}"]["patch"]["responses"]) == {
        "200", "401", "403", "404", "409", "422"}
    assert set(paths["/projects/{project_id}/transitions"]["post"]["responses"]) == {
        "200", "401", "403", "404", "409", "422"}
    assert set(paths["/projects"]["post"]["responses"]) == {"201", "401", "403", "422"}
    assert set(paths["/projects"]["get"]["responses"]) == {"200", "401", "422"}
    assert set(paths["/users"]["get"]["responses"]) == {"200", "401", "403", "422"}
    assert set(paths["/tokens"]["post"]["responses"]) == {"201", "401", "422", "429"}


def test_openapi_references_resolve(document):
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', str(document).replace("'", '"')))
    assert refs
    assert refs <= set(schemas)


def test_openapi_error_schema_matches_contract(document):
    errors = document["components"]["schemas"]["Errors"]
    assert errors["required"] == ["errors"]
    item = errors["properties"]["errors"]["items"]
    assert item["required"] == ["message"]
    assert item["properties"] == {"field": {"type": "string"}, "message": {"type": "string"}}


def test_openapi_proposal_fields_match_the_contract(document):
    fields = document["components"]["schemas"]["ProposalFields"]
    assert set(fields["properties"]) == {"title", "summary", "project_type", "work_groups",
                                         "activity", "outcomes", "roles_needed", "location",
                                         "budget", "timeline"}
    assert fields["additionalProperties"] is False
