"""File contents on disk: committed data and staged (appended, not yet flushed) chunks, one file each.

Bytes never go into the SQLite store; documents there keep only ids. A flush composes a NEW file and
swaps the id, so a reader that already looked up the old id keeps reading a consistent version.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path


class Content:
    def __init__(self, blob_dir: Path) -> None:
        self.root = Path(blob_dir)

    def _path(self, account: str, blob_id: str) -> Path:
        return self.root / account / blob_id

    def write(self, account: str, data: bytes) -> str:
        """Store `data` under a new id and return the id."""
        blob_id = uuid.uuid4().hex
        path = self._path(account, blob_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return blob_id

    def read(self, account: str, blob_id: str | None, start: int, end: int) -> bytes:
        """Bytes [start, end) of a stored file (an absent id reads as empty)."""
        if not blob_id or end <= start:
            return b""
        with open(self._path(account, blob_id), "rb") as fh:
            fh.seek(start)
            return fh.read(end - start)

    def compose(self, account: str, base_id: str | None, base_len: int, chunk_ids: list[str]) -> str:
        """A new file: the first `base_len` bytes of `base_id`, then each chunk in order."""
        blob_id = uuid.uuid4().hex
        path = self._path(account, blob_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            if base_id and base_len:
                with open(self._path(account, base_id), "rb") as src:
                    _copy_n(src, out, base_len)
            for cid in chunk_ids:
                with open(self._path(account, cid), "rb") as src:
                    shutil.copyfileobj(src, out)
        return blob_id

    def copy(self, src_account: str, src_id: str | None, dst_account: str) -> str | None:
        if not src_id:
            return None
        blob_id = uuid.uuid4().hex
        dst = self._path(dst_account, blob_id)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(src_account, src_id), dst)
        return blob_id

    def delete(self, account: str, *blob_ids: str | None) -> None:
        for blob_id in blob_ids:
            if blob_id:
                self._path(account, blob_id).unlink(missing_ok=True)

    def delete_account(self, account: str) -> None:
        shutil.rmtree(self.root / account, ignore_errors=True)


def _copy_n(src, out, n: int) -> None:
    while n > 0:
        buf = src.read(min(n, 1 << 20))
        if not buf:
            break
        out.write(buf)
        n -= len(buf)
