"""`azlake run --show N`: the first rows of a published parquet output, read back from the lake."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from azlake.jobs.layout import Location

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

MAX_PART_BYTES = 64 * 1024 * 1024  # a preview never downloads a part larger than this


def preview(clients: Clients, where: Location, files: list[str], rows: int, say: Callable[[str], None]) -> None:
    """Print up to `rows` rows of the parquet files just published to `where` (downloads part by part)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        say(f"(no preview of {where}: install pyarrow, e.g. `pip install 'azlake[spark]'`)")
        return
    fs = clients.datalake(where.account).get_file_system_client(where.filesystem)
    parts = [f.split("/", 1)[1] for f in files if f.endswith(".parquet")]
    shown: list[dict[str, Any]] = []
    columns: list[str] = []
    for part in parts:
        client = fs.get_file_client(part)
        if int(client.get_file_properties().size or 0) > MAX_PART_BYTES:
            say(f"(preview skips {where.filesystem}/{part}: larger than {MAX_PART_BYTES // 2**20} MiB)")
            continue
        # no Arrow thread pool: its threads at interpreter exit abort the process now and then
        # ("terminate called without an active exception"), and a preview is small
        table = pq.read_table(io.BytesIO(client.download_file().readall()), use_threads=False)
        columns = columns or list(table.column_names)
        shown.extend(table.slice(0, rows - len(shown)).to_pylist())
        if len(shown) >= rows:
            break
    if not columns:
        say(f"(no parquet rows to show in {where})")
        return
    say(f"{where}: first {len(shown)} row(s)")
    for line in _table(columns, shown):
        say(f"  {line}")


def _table(columns: list[str], rows: list[dict[str, Any]]) -> list[str]:
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    head = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    rule = "  ".join("-" * w for w in widths)
    return [head, rule] + ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in cells]
