"""The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


REF_AREA_SHORT = {"type": "object", "required": ["id", "name"],
                  "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["status", "message"],
                                 "properties": {"status": {"type": "integer"},
                                                "message": {"type": "string"}}}},
    },
    "Meta": {
        "type": "object", "required": ["page", "per_page", "total", "pages"],
        "properties": {"page": {"type": "integer", "minimum": 1},
                       "per_page": {"type": "integer", "minimum": 1, "maximum": 200},
                       "total": {"type": "integer", "minimum": 0},
                       "pages": {"type": "integer", "minimum": 1}},
    },
    "Links": {
        "type": "object", "required": ["self", "first", "last", "next", "prev"],
        "properties": {k: _nullable("string", format="uri")
                       for k in ("self", "first", "last", "next", "prev")},
    },
    "Area": {
        "type": "object", "required": ["id", "kind", "name", "parent_id"],
        "properties": {
            "id": {"type": "integer"}, "external_id": _nullable("string"),
            "kind": {"type": "string", "enum": ["regio", "gemeente", "wijk"]},
            "name": {"type": "string"}, "code": _nullable("string"),
            "parent_id": _nullable("integer"),
        },
    },
    "Person": {
        "type": "object",
        "required": ["id", "name", "role", "organisation", "mobile", "areas", "domains"],
        "properties": {
            "id": {"type": "integer"}, "external_id": _nullable("string"),
            "name": {"type": "string"}, "role": {"type": "string"},
            "organisation": REF_AREA_SHORT,
            "mobile": _nullable("string", description="E.164, e.g. +31612345678"),
            "landline": _nullable("string"), "email": _nullable("string"),
            "areas": {"type": "array", "items": REF_AREA_SHORT},
            "domains": {"type": "array", "items": {"type": "string"}},
            "languages": {"type": "array", "items": {"type": "string"}},
            "available": {"type": "boolean"},
            "verified_at": _nullable("string", format="date-time"),
        },
    },
    "Service": {
        "type": "object", "required": ["id", "name", "domains", "areas", "eligibility"],
        "properties": {
            "id": {"type": "integer"}, "external_id": _nullable("string"),
            "name": {"type": "string"}, "description": {"type": "string"},
            "intake_route": {"type": "string"},
            "domains": {"type": "array", "items": {"type": "string"}},
            "areas": {"type": "array", "items": REF_AREA_SHORT},
            "eligibility": {"type": "array", "items": {
                "type": "object", "required": ["kind", "text"],
                "properties": {"kind": {"type": "string"}, "value": _nullable("string"),
                               "int_value": _nullable("integer"), "text": {"type": "string"}},
            }},
        },
    },
    "Organisation": {
        "type": "object", "required": ["id", "name", "sector", "services"],
        "properties": {
            "id": {"type": "integer"}, "external_id": _nullable("string"),
            "name": {"type": "string"}, "sector": {"type": "string"},
            "description": {"type": "string"}, "phone": _nullable("string"),
            "crisis_phone": _nullable("string"), "intake_route": {"type": "string"},
            "website": _nullable("string"), "email": _nullable("string"),
            "services": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
        },
    },
    "Capacity": {
        "type": "object",
        "required": ["id", "service", "area", "type", "available", "maximum", "updated_at",
                     "stale"],
        "properties": {
            "id": {"type": "integer"},
            "service": {"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"},
                "organisation_id": {"type": "integer"}}},
            "area": REF_AREA_SHORT,
            "type": {"type": "object", "properties": {
                "key": {"type": "string"}, "name": {"type": "string"},
                "unit": {"type": "string", "enum": ["bed", "plek", "uur_per_week"]}}},
            "available": {"type": "integer", "minimum": 0},
            "maximum": {"type": "integer", "minimum": 0},
            "updated_at": {"type": "string", "format": "date-time"},
            "stale": {"type": "boolean",
                      "description": "older than the capacity type's stale_after_hours"},
        },
    },
}


def _list(schema: str) -> dict:
    return {"type": "object", "required": ["data", "meta", "links"], "properties": {
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
        "meta": {"$ref": "#/components/schemas/Meta"},
        "links": {"$ref": "#/components/schemas/Links"}}}


def _one(schema: str) -> dict:
    return {"type": "object", "required": ["data"],
            "properties": {"data": {"$ref": f"#/components/schemas/{schema}"}}}


ERRORS = {
    "401": {"description": "Geen of een ongeldig token",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "403": {"description": "Geen toegang",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
}
NOT_FOUND = {"404": {"description": "Niet gevonden", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
]


def _collection(tag: str, schema: str, summary: str, extra_params=()) -> dict:
    return {"get": {"tags": [tag], "summary": summary, "parameters": PAGING + list(extra_params),
                    "responses": {"200": {"description": "Een pagina",
                                          "content": {"application/json": {
                                              "schema": _list(schema)}}}, **ERRORS}}}


def _item(tag: str, schema: str, summary: str, name: str) -> dict:
    return {"get": {"tags": [tag], "summary": summary,
                    "parameters": [{"name": name, "in": "path", "required": True,
                                    "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "Gevonden", "content": {
                        "application/json": {"schema": _one(schema)}}}, **ERRORS, **NOT_FOUND}}}


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "netwerk API",
            "version": "1.0.0",
            "description": "Alleen-lezen toegang tot de gids: personen, organisaties met "
                           "aanbod, gebieden en capaciteiten. Casussen zitten niet in de API. "
                           "Maak een token op /api-token of met `netwerk create-token EMAIL`.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/people": _collection("people", "Person", "Actieve professionals",
                                   [{"name": "organisation_id", "in": "query",
                                     "schema": {"type": "integer"}}]),
            "/people/{person_id}": _item("people", "Person", "Eén professional", "person_id"),
            "/organisations": _collection("organisations", "Organisation",
                                          "Organisaties met hun aanbod"),
            "/organisations/{organisation_id}": _item("organisations", "Organisation",
                                                      "Eén organisatie", "organisation_id"),
            "/areas": _collection("areas", "Area", "Gebieden (regio, gemeente, wijk)",
                                  [{"name": "kind", "in": "query", "schema": {
                                      "type": "string", "enum": ["regio", "gemeente", "wijk"]}}]),
            "/areas/{area_id}": _item("areas", "Area", "Eén gebied", "area_id"),
            "/capacities": _collection("capacities", "Capacity", "Capaciteiten (plekken)"),
            "/openapi.json": {"get": {"tags": ["meta"], "summary": "Dit document",
                                      "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
    }
