"""The content API at /api/v1/: published articles and what they are filed under, as JSON.

Read-only and public, built on Django Ninja (OpenAPI 3.1 from the type hints). Layout:
- api.py: the NinjaAPI, its error handlers and the schema's problem media type;
- endpoints.py: the operations, thin;
- queries.py: what each operation reads (filters over Article.objects.published());
- representation.py: the JSON shape of each object, built once per request;
- schemas.py: the same shapes as Pydantic models, for validation and the schema;
- paging.py: keyset cursors (stable under inserts, no COUNT, no OFFSET);
- problems.py: errors as application/problem+json (RFC 9457), in German;
- ratelimit.py: the per-client rate limit (429 with Retry-After).
"""
