"""Read seed files uploaded in the admin: loose `.txt` files and `.zip` archives of them.

Threat model: an upload is hostile input. An editor may pass on an archive someone else
built, and anyone with an editor's account can upload anything. This module must never
write to disk, follow a path out of the archive, or spend unbounded memory or time, and it
must tell the editor in plain German what it skipped and why. It only reads bytes; decoding
and parsing are the importer's job (`read.decode_seed`, `parse`).

"The rest goes on": a bad file or archive member is refused with a message and the good ones
are still accepted. Only an archive that is unsafe or useless as a whole (not a zip, a zip
bomb, too many members, a central directory too large to parse, every member encrypted, no
files at all) is refused whole; the other uploaded files still go on. Archive-level checks
all run before any member of that archive is read, so a refused archive yields no seed.

Limits and how they are enforced:

- MAX_FILE_BYTES (= `read.MAX_SEED_BYTES`): one seed. A file's declared size (`UploadedFile
  .size`, a member's `file_size`) is checked before reading, and reading stops after
  MAX_FILE_BYTES + 1 bytes whatever the header said, so a lying header cannot get past.
- MAX_UPLOAD_BYTES: the accepted seeds together. An archive whose declared total
  uncompressed size (all members, of any type) is above it is refused whole. Across the
  upload, the first seed that does not fit any more and every seed after it are refused (the
  upload is cut at that point, rather than filled up with whatever smaller files come later).
- MAX_MEMBERS: files in one upload, loose files and archive members together; directories
  and silently skipped junk (`__MACOSX/`, `._*`, `.DS_Store`, `Thumbs.db`, `desktop.ini`)
  do not count, since macOS adds a `._` twin for many files. An archive that would take the
  upload over the limit is refused whole; a loose file over it is refused.
- MAX_RATIO: a member whose declared size is above RATIO_MIN_BYTES (1 MB) and more than
  MAX_RATIO times its compressed size marks the archive as a zip bomb. Smaller members are
  not checked: a short, repetitive text file may legitimately compress 1:200, and at that
  size it costs nothing. Real text compresses about 1:3 to 1:10.
- MAX_DIRECTORY_ENTRIES / MAX_DIRECTORY_BYTES: `zipfile` reads and parses the whole central
  directory when the archive is opened, before MAX_MEMBERS can be counted. The end record's
  entry count and directory size are checked first, so a directory of millions of entries
  is refused without being parsed.
- MAX_NAME_CHARS: the importer stores the base name in `SourceFile.name` (255 characters).

Decompression: only stored and deflated members are read. `zipfile` decompresses bzip2 and
LZMA members without an output bound per call, so a few kilobytes of bzip2 can expand to
gigabytes in memory before any byte count sees them; such members are refused. Deflate is
read with a bounded output per call, and `zipfile` itself never returns more than a member's
declared `file_size` (a longer stream is cut and then fails its CRC check).

Names: a member's base name (the last path part; backslashes count as separators, as old
Windows tools wrote them) is the seed's name, since the importer keys files by base name.
Names without the UTF-8 flag are decoded as cp437 by `zipfile` (right for Windows Explorer's
German names); if those bytes are valid UTF-8, as many Unix tools write them, UTF-8 is used.
Names are normalised to NFC (macOS writes decomposed umlauts). Absolute paths, drive letters,
`..` parts, control and invisible format characters (NUL, bidi overrides) are refused even
though nothing is extracted: such an archive was built to attack something.

Files named `.zip` are archives; a file that is a zip by content but named otherwise is never
opened: as `.txt` it is refused as "not a text file" (a renamed Word document, say), and a
`.zip` member inside an archive is refused as a nested archive. Symbolic links (Unix mode in
`external_attr`) and encrypted members are refused.
"""

from __future__ import annotations

import contextlib
import io
import lzma
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from articles.importer.read import MAX_SEED_BYTES

MAX_FILE_BYTES = MAX_SEED_BYTES  # one seed file
MAX_UPLOAD_BYTES = 50_000_000  # all accepted seeds together (uncompressed)
MAX_MEMBERS = 2_000  # files in one upload (archive members and loose files together)
MAX_RATIO = 100  # uncompressed / compressed size of one member above this: zip bomb
RATIO_MIN_BYTES = 1_000_000  # members up to this size are not checked for their ratio
MAX_DIRECTORY_ENTRIES = 20_000  # entries in a central directory, checked before parsing it
MAX_DIRECTORY_BYTES = 20_000_000  # size of a central directory, checked before parsing it
MAX_NAME_CHARS = 255  # SourceFile.name

_CHUNK_BYTES = 64 * 1024
_LABEL_CHARS = 200  # longer labels are shortened in messages
_READABLE_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_ENCRYPTED_FLAGS = 0x1 | 0x40  # traditional PKWARE encryption, strong encryption
_UTF8_NAME_FLAG = 0x800
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"[A-Za-z]:")

# What zipfile and the decompressors raise on damaged data.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    EOFError,
    OSError,
    ValueError,  # includes UnicodeDecodeError for a member name flagged UTF-8 that is not
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True)
class UploadedSeed:
    name: str  # the member's base name, e.g. "kreis-unna.txt" (never a path)
    label: str  # where it came from: "seeds.zip: 2021/kreis-unna.txt" or "kreis-unna.txt"
    data: bytes


@dataclass(frozen=True)
class Refusal:
    label: str  # as above
    message: str  # German, a complete sentence naming the label


@dataclass
class ReadUpload:
    seeds: list[UploadedSeed]
    refusals: list[Refusal]


def read_upload(files) -> ReadUpload:
    """`files`: an iterable of Django UploadedFile objects (anything with .name, .size, .read(),
    .chunks(), .seek(); archives also need .tell(), as every UploadedFile has).

    Files named `*.zip` are read as archives, all others as loose files, in the given order.
    """
    upload = _Upload()
    for uploaded in files:
        raw_name = _nfc(str(getattr(uploaded, "name", None) or ""))
        if _normalise(raw_name).lower().endswith(".zip"):
            upload.read_archive(uploaded, raw_name)
        else:
            upload.read_loose(uploaded, raw_name)
    return ReadUpload(upload.seeds, upload.refusals)


class _Refused(Exception):
    """A file, member or archive is refused; `message` is for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Member:
    info: zipfile.ZipInfo
    path: str  # the name with "/" as the only separator
    label: str


@dataclass
class _Upload:
    seeds: list[UploadedSeed] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # base name: label
    files: int = 0  # counted towards MAX_MEMBERS
    accepted_bytes: int = 0
    full: bool = False  # MAX_UPLOAD_BYTES reached: every later seed is refused

    def refuse(self, label: str, message: str) -> None:
        self.refusals.append(Refusal(label, message))

    # Loose files

    def read_loose(self, uploaded, raw_name: str) -> None:
        label = _label(raw_name)
        path = _normalise(raw_name)
        quoted = _q(label)
        problem = _path_problem(raw_name, path)
        if problem:
            self.refuse(label, f"{quoted} wurde übersprungen: {problem}")
            return
        if self.files >= MAX_MEMBERS:
            self.refuse(
                label,
                f"{quoted} wurde übersprungen: Ein Upload darf höchstens "
                f"{_number(MAX_MEMBERS)} Dateien enthalten.",
            )
            return
        self.files += 1
        if _is_junk(path):
            self.refuse(
                label, f"{quoted} ist eine Hilfsdatei des Betriebssystems und wurde übersprungen."
            )
            return
        name = _base_name(path)
        if not name.lower().endswith(".txt"):
            self.refuse(label, _not_txt(label))
            return

        def read() -> bytes:
            try:
                uploaded.seek(0)
                return _read_at_most(uploaded, MAX_FILE_BYTES)
            except OSError as exc:
                raise _Refused(
                    f"{quoted} konnte nicht gelesen werden und wurde übersprungen."
                ) from exc

        self.take(label, name, getattr(uploaded, "size", None), read)

    # Archives

    def read_archive(self, uploaded, raw_name: str) -> None:
        label = _label(raw_name)
        problem = _path_problem(raw_name, _normalise(raw_name))
        if problem:
            self.refuse(label, f"{_q(label)} wurde übersprungen: {problem}")
            return
        try:
            archive = _open_archive(uploaded, label)
        except _Refused as refused:
            self.refuse(label, refused.message)
            return
        with archive:
            try:
                members = self.plan_archive(archive, label)
            except _Refused as refused:
                self.refuse(label, refused.message)
                return
            for member in members:
                self.read_member(archive, member)

    def plan_archive(self, archive: zipfile.ZipFile, label: str) -> list[_Member]:
        """The archive's files to look at, after the checks that refuse the whole archive."""
        quoted = _q(label)
        infos = archive.infolist()
        members = []
        for info in infos:
            raw = _member_name(info)
            path = _normalise(raw)
            member = _Member(info, path, f"{label}: {_label(raw)}")
            if _path_problem(raw, path):
                members.append(member)  # refused with a message when its turn comes
            elif not path.endswith("/") and not _is_junk(path):  # skip these silently
                members.append(member)

        room = MAX_MEMBERS - self.files
        if len(members) > room:
            if len(members) > MAX_MEMBERS:
                reason = (
                    f"Es enthält {_number(len(members))} Dateien, ein Upload darf höchstens "
                    f"{_number(MAX_MEMBERS)} enthalten."
                )
            else:
                reason = (
                    f"Mit seinen {_number(len(members))} Dateien enthielte der Upload mehr als "
                    f"{_number(MAX_MEMBERS)} Dateien."
                )
            raise _Refused(f"{quoted} wurde nicht entpackt: {reason}")
        if sum(info.file_size for info in infos) > MAX_UPLOAD_BYTES:
            raise _Refused(
                f"{quoted} wurde nicht entpackt: Entpackt wäre es größer als "
                f"{_size(MAX_UPLOAD_BYTES)}."
            )
        for info in infos:
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * info.compress_size:
                raise _Refused(
                    f"{quoted} wurde nicht entpackt: „{_label(_member_name(info))}“ ist mehr als "
                    f"{MAX_RATIO}-fach komprimiert, das Archiv ist vermutlich eine ZIP-Bombe."
                )
        if not members:
            raise _Refused(f"{quoted} enthält keine Dateien und wurde übersprungen.")
        if all(member.info.flag_bits & _ENCRYPTED_FLAGS for member in members):
            raise _Refused(f"{quoted} ist passwortgeschützt und wurde nicht entpackt.")
        self.files += len(members)
        return members

    def read_member(self, archive: zipfile.ZipFile, member: _Member) -> None:
        info, label = member.info, member.label
        quoted = _q(label)
        problem = _path_problem(_member_name(info), member.path)
        if problem:
            self.refuse(label, f"{quoted} wurde übersprungen: {problem}")
            return
        if stat.S_ISLNK(info.external_attr >> 16):
            self.refuse(label, f"{quoted} ist ein symbolischer Link und wurde übersprungen.")
            return
        name = _base_name(member.path)
        if name.lower().endswith(".zip"):
            self.refuse(
                label, f"Verschachtelte Archive werden nicht entpackt; {quoted} wurde übersprungen."
            )
            return
        if not name.lower().endswith(".txt"):
            self.refuse(label, _not_txt(label))
            return
        if info.flag_bits & _ENCRYPTED_FLAGS:
            self.refuse(label, f"{quoted} ist verschlüsselt und wurde übersprungen.")
            return
        if info.compress_type not in _READABLE_COMPRESSION:
            self.refuse(
                label,
                f"{quoted} wurde übersprungen: Nur unkomprimierte oder mit Deflate komprimierte "
                "Dateien werden gelesen.",
            )
            return

        def read() -> bytes:
            try:
                with archive.open(info) as stream:
                    return _read_at_most(stream, MAX_FILE_BYTES)
            except _ZIP_ERRORS as exc:
                if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
                    reason = "ist beschädigt (die Prüfsumme stimmt nicht)"
                else:
                    reason = "ist beschädigt und konnte nicht gelesen werden"
                raise _Refused(f"{quoted} {reason}; die Datei wurde übersprungen.") from exc

        self.take(label, name, info.file_size, read)

    # Both

    def take(self, label: str, name: str, declared: int | None, read) -> None:
        """Accept a seed or refuse it; `read()` returns at most MAX_FILE_BYTES + 1 bytes."""
        quoted = _q(label)
        too_large = f"{quoted} ist größer als {_size(MAX_FILE_BYTES)} und wurde übersprungen."
        full = (
            f"{quoted} wurde übersprungen: Alle Dateien zusammen dürfen höchstens "
            f"{_size(MAX_UPLOAD_BYTES)} groß sein."
        )
        if declared is not None and declared > MAX_FILE_BYTES:
            self.refuse(label, too_large)
            return
        if name in self.accepted:
            self.refuse(
                label,
                f"{quoted} wurde übersprungen: Der Dateiname „{name}“ kommt im Upload doppelt "
                f"vor, übernommen wurde {_q(self.accepted[name])}.",
            )
            return
        room = MAX_UPLOAD_BYTES - self.accepted_bytes
        if self.full or (declared is not None and declared > room):
            self.full = True
            self.refuse(label, full)
            return
        try:
            data = read()
        except _Refused as refused:
            self.refuse(label, refused.message)
            return
        if len(data) > MAX_FILE_BYTES:
            self.refuse(label, too_large)
        elif not data:
            self.refuse(label, f"{quoted} ist leer und wurde übersprungen.")
        elif zipfile.is_zipfile(io.BytesIO(data)):
            self.refuse(
                label,
                f"{quoted} ist keine Textdatei, sondern ein ZIP-Archiv (etwa ein "
                "Word-Dokument); die Datei wurde übersprungen.",
            )
        elif len(data) > room:
            self.full = True
            self.refuse(label, full)
        else:
            self.accepted[name] = label
            self.accepted_bytes += len(data)
            self.seeds.append(UploadedSeed(name=name, label=label, data=data))


def _open_archive(uploaded, label: str) -> zipfile.ZipFile:
    """Open an uploaded archive after checking its central directory is small enough to parse."""
    not_a_zip = f"{_q(label)} ist kein gültiges ZIP-Archiv und wurde übersprungen."
    try:
        # zipfile's own reader of the end record, so both see the same directory. A
        # private name: if a Python upgrade removes it, this fails loudly in the tests.
        end = zipfile._EndRecData(uploaded)
    except _ZIP_ERRORS:
        end = None
    if not end:
        raise _Refused(not_a_zip)
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if entries > MAX_DIRECTORY_ENTRIES or size > MAX_DIRECTORY_BYTES:
        raise _Refused(
            f"{_q(label)} wurde nicht entpackt: Sein Inhaltsverzeichnis ist ungewöhnlich groß, "
            f"ein Upload darf höchstens {_number(MAX_MEMBERS)} Dateien enthalten."
        )
    try:
        uploaded.seek(0)
        return zipfile.ZipFile(uploaded)
    except _ZIP_ERRORS as exc:
        raise _Refused(not_a_zip) from exc


def _read_at_most(stream, limit: int) -> bytes:
    """Read up to `limit` + 1 bytes in chunks; never asks the stream for more than that."""
    parts = []
    left = limit + 1
    while left > 0:
        chunk = stream.read(min(_CHUNK_BYTES, left))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)[: limit + 1]


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as written (`orig_filename`: zipfile cuts `filename` at a NUL)."""
    name = info.orig_filename
    if not info.flag_bits & _UTF8_NAME_FLAG and not name.isascii():
        with contextlib.suppress(UnicodeError):  # else cp437 it is
            name = name.encode("cp437").decode("utf-8")  # UTF-8 written without the flag
    return _nfc(name)


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _normalise(name: str) -> str:
    return name.replace("\\", "/")


def _base_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _path_problem(raw: str, path: str) -> str | None:
    """Why a name is refused, or None; `path` is `raw` with backslashes as slashes."""
    if not raw:
        return "Die Datei hat keinen Namen."
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs"} for char in raw):
        return "Der Name enthält Steuerzeichen."
    if path.startswith("/"):
        return "Der Pfad ist absolut."
    if _DRIVE.match(path):
        return "Der Pfad enthält eine Laufwerksangabe."
    if ".." in path.split("/"):
        return "Der Pfad enthält „..“."
    if len(_base_name(path)) > MAX_NAME_CHARS:
        return f"Der Dateiname ist länger als {_number(MAX_NAME_CHARS)} Zeichen."
    return None


def _is_junk(path: str) -> bool:
    """Files that macOS and Windows add to folders and archives on their own."""
    parts = path.split("/")
    base = parts[-1]
    return "__MACOSX" in parts[:-1] or base.startswith("._") or base.lower() in _JUNK_NAMES


def _label(name: str) -> str:
    """A name fit for a message: control characters replaced, very long names shortened."""
    if not name:
        return "(ohne Namen)"
    name = "".join(
        "\ufffd" if unicodedata.category(char) in {"Cc", "Cf", "Cs"} else char for char in name
    )
    if len(name) > _LABEL_CHARS:
        name = name[: _LABEL_CHARS - 1] + "…"
    return name


def _q(label: str) -> str:
    return f"„{label}“"


def _not_txt(label: str) -> str:
    return f"Nur .txt-Dateien werden importiert; {_q(label)} wurde übersprungen."


def _number(number: int) -> str:
    """German digit grouping: 2.000.000."""
    return f"{number:,}".replace(",", ".")


def _size(size: int) -> str:
    """A byte limit the German way: "2 MB" for whole megabytes (10⁶ bytes), else "1.500 Bytes"."""
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{_number(size // 1_000_000)} MB"
    return f"{_number(size)} Bytes"
