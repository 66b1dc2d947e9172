"""Many rows as one statement parameter per column: `INSERT … SELECT … FROM unnest(…)`.

An executemany (or a multi-row VALUES) binds every value of every row separately, and building
those parameters in Python costs more than PostgreSQL's work for a batch of thousands of rows.
`rows_of` binds each column as one typed array instead. It is a Core construct, not text, so
a `schema_translate_map` (a rebuild writing into another schema) still applies.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Table, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB


def rows_of(table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> Select[Any]:
    """SELECT the `columns` of `rows` (dicts keyed by column name) from one unnest, typed as
    the table's columns; for `insert(table).from_select(columns, …)`."""
    arrays = []
    for name in columns:
        kind = table.c[name].type
        values = [row[name] for row in rows]
        if isinstance(kind, JSONB):  # bound as text, cast element-wise
            texts = [None if v is None else json.dumps(v) for v in values]
            arrays.append(cast(cast(bindparam(f"u_{name}", texts, type_=ARRAY(Text)),
                                    ARRAY(Text)), ARRAY(JSONB)))
        else:
            arrays.append(cast(bindparam(f"u_{name}", values, type_=ARRAY(kind)), ARRAY(kind)))
    unnest = func.unnest(*arrays).table_valued(*columns).render_derived(name="u")
    return select(*[unnest.c[name] for name in columns])
