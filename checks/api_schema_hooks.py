"""Schemathesis hooks for checks/api_schema.py (loaded through SCHEMATHESIS_HOOKS).

A cursor is only valid when the API issued it: the schema can say "a string", not
"a string this server wrote". Positive test cases therefore get a real cursor of their
operation (read from the live server before the run); negative ones keep what
schemathesis made up, which the API must refuse.
"""

import json
import os

import schemathesis

ISSUED_CURSORS = json.loads(os.environ.get("NEWSROOM_API_CURSORS", "{}"))


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if (
        case.query
        and "cursor" in case.query
        and meta is not None
        and meta.generation.mode.is_positive
    ):
        case.query["cursor"] = ISSUED_CURSORS[case.operation.path]
    return case
