"""Reading the files an environment names: regular files of sane size only, never a FIFO or a device.

`open()` on a FIFO blocks until a writer comes and `/dev/zero` never ends; so a file is looked at before it
is read, opened without blocking, checked again on the open descriptor, and read up to a limit.
"""

from __future__ import annotations

import base64
import errno
import os
import re
import stat
from pathlib import Path

MAX_ENVIRONMENT_BYTES = 1024 * 1024   # an environment file or partial is a few KiB
MAX_PUBLIC_KEY_BYTES = 16 * 1024      # an OpenSSH public key line (16384-bit RSA is about 2.8 KiB)
MAX_SCRIPT_BYTES = 256 * 1024 * 1024  # a job's .py file or JAR, uploaded whole: a JAR with its dependencies fits

_KINDS = [(stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]


class Refused(Exception):
    """A file azlake will not read: `summary` says why (never its content), `detail` what to do."""

    def __init__(self, summary: str, detail: str = "") -> None:
        super().__init__(summary)
        self.summary, self.detail = summary, detail


def read_text(path: Path, limit: int, what: str = "an environment file") -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes, or Refused with the reason."""
    data = read_bytes(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("the file is not UTF-8 text", f"{what} is text; save it as UTF-8") from None


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """The content of a regular file of at most `limit` bytes, or Refused with the reason."""
    fd = _open_regular(path, limit, what)
    try:
        data = _read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise Refused(f"the file has more than {limit} bytes, more than {what} may have", "name the right file")
    return data


def check_regular(path: Path, limit: int, what: str) -> None:
    """Refused unless `path` is a readable regular file of at most `limit` bytes; reads none of it."""
    os.close(_open_regular(path, limit, what))


def _open_regular(path: Path, limit: int, what: str) -> int:
    """A descriptor of `path` once it is known to be a regular file of sane size (the caller closes it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Refused(*_os_problem(path, exc)) from None
    try:
        info = os.fstat(fd)  # the file actually opened, not a name that could have changed meanwhile
        if stat.S_ISDIR(info.st_mode):
            raise Refused("this is a folder, not a file", "name a file, or use a command that takes folders")
        kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
        if kind or not stat.S_ISREG(info.st_mode):
            raise Refused(f"this is {kind or 'not a regular file'}, not {what}: azlake reads regular files only",
                          "name the file itself")
        if info.st_size > limit:
            raise Refused(f"the file has {info.st_size} bytes, more than {what} may have ({limit})",
                          "name the right file")
    except Refused:
        os.close(fd)
        raise
    return fd


def confined(name: str, base: Path, root: Path, key: str, move: str) -> Path:
    """`name`, relative to `base`, resolved; Refused unless it stays inside `root` (the environment's tree).

    A file the environment names is read and may be sent to Azure (a job script is uploaded to the lake), so
    a file may not point at /etc/passwd or ~/.ssh/id_rsa: absolute paths, `~` and `\\` are refused, and the
    path is resolved first so that `..` and symbolic links leading out are refused too. `key` is the key
    named in messages, `move` says where the file should live instead.
    """
    if Path(name).is_absolute() or name.startswith("~") or "\\" in name:
        raise Refused(f"{key} takes a path relative to this file, inside the environment file's folder", move)
    try:
        target = (base / name).resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise Refused(f"{key}: {name!r} is a loop of symbolic links", "point it at a real file") from None
    if not target.is_relative_to(root):
        raise Refused(f"{key}: {name!r} leads out of {root} (by '..' or a symbolic link)", move)
    return target


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _os_problem(path: Path, exc: OSError) -> tuple[str, str]:
    if exc.errno == errno.ENOENT:
        return "the file does not exist", f"check the path (relative to {Path.cwd()})"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "no permission to read the file", "make it readable for you (e.g. chmod u+r), or run as its owner"
    if exc.errno == errno.ELOOP:
        return "the path is a loop of symbolic links", "point the link at a real file"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a file", "name a file, or use a command that takes folders"
    return f"cannot read {path}: {exc.strerror or exc}", ""


# --- SSH public keys ------------------------------------------------------------------------------
_KEY_TYPES = ("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
              "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def public_key_problem(text: str) -> str | None:
    """Why `text` is not one OpenSSH public key line of sane size, or None. Never quotes the text."""
    if len(text.encode("utf-8", "replace")) > MAX_PUBLIC_KEY_BYTES:
        return f"is longer than a public key can be ({MAX_PUBLIC_KEY_BYTES} bytes at most)"
    if "PRIVATE KEY" in text:
        return "holds a private key; never give a private key: use the .pub file"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        return "must be one OpenSSH public key line ('ssh-ed25519 AAAA... comment'), not several lines"
    parts = lines[0].split()
    if len(parts) < 2 or parts[0] not in _KEY_TYPES:
        return "is not an OpenSSH public key: it must start with " + ", ".join(_KEY_TYPES[:3]) + " or another key type"
    if not _BASE64.match(parts[1]):
        return "is not an OpenSSH public key: its second field is not base64"
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        return "is not an OpenSSH public key: its second field is not base64"
    if blob[4:4 + len(parts[0])] != parts[0].encode():  # the blob names its own type after a length
        return "is not an OpenSSH public key: its data does not match its type"
    return None
