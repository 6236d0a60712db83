"""The read-only JSON API at /api/v1 (bearer tokens per user, OpenAPI at /api/v1/openapi.json)."""
