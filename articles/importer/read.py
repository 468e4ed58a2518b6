"""Read seed files from disk: size guard, checksum, and tolerant decoding to text."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MAX_SEED_BYTES = 2_000_000

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _cp1252_table() -> dict[int, str]:
    """Map latin-1 code points to cp1252 characters; the five undefined bytes stay latin-1."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: keep the latin-1 character
    return table


_CP1252_FROM_LATIN1 = _cp1252_table()


class SeedReadError(Exception):
    """A seed file that cannot be read (missing, unreadable, too large)."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(path, reason)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class SeedText:
    """One decoded seed file; checksum and size are of the raw bytes, to detect changed files."""

    name: str
    text: str
    checksum: str
    size: int


def decode_seed(data: bytes) -> str:
    """Decode a seed file's bytes: UTF-8 (BOM optional), else Windows-1252; LF line endings.

    Never raises: bytes that cp1252 leaves undefined decode as latin-1. Old copies of the
    site were saved by Windows editors, so cp1252 is the likely non-UTF-8 encoding.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1").translate(_CP1252_FROM_LATIN1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_seed(path: str | os.PathLike) -> SeedText:
    """Read and decode one seed file; refuse files over MAX_SEED_BYTES before reading them."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            raise SeedReadError(path, _too_large(size))
        with path.open("rb") as handle:
            data = handle.read(MAX_SEED_BYTES + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise SeedReadError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > MAX_SEED_BYTES:
        raise SeedReadError(path, f"file is too large (over the limit of {MAX_SEED_BYTES} bytes)")
    return seed_from_bytes(path.name, data)


def seed_from_bytes(name: str, data: bytes) -> SeedText:
    """A seed file read elsewhere (an upload): decoded, with the checksum of its bytes."""
    if len(data) > MAX_SEED_BYTES:
        raise SeedReadError(name, _too_large(len(data)))
    return SeedText(
        name=name,
        text=decode_seed(data),
        checksum=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def _too_large(size: int) -> str:
    return f"file is too large ({size} bytes; the limit is {MAX_SEED_BYTES} bytes)"
