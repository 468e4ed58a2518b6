"""Reading uploaded seed files: loose .txt files, zip archives, and what is refused and why."""

import io
import random
import stat
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.importer import upload
from articles.importer.read import MAX_SEED_BYTES
from articles.importer.upload import ReadUpload, UploadedSeed, read_upload

TEXT = "Kreis Unna:\nDigitaler Masterplan\n\n[9.4.2024] Der Kreis plant für Bürger.\n".encode()


def loose(name: str, data: bytes = TEXT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def make_zip(*members, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, data) pairs, in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


def central_directory(data: bytes) -> list[int]:
    """Offsets of the central directory entries, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        start = archive.start_dir
        count = len(archive.infolist())
    offsets, position = [], start
    for _ in range(count):
        position = data.index(b"PK\x01\x02", position)
        offsets.append(position)
        position += 4
    return offsets


def patch_member(data: bytes, index: int, *, flag_bits: int = 0, file_size: int | None = None):
    """Set flag bits or the declared size of member `index`, in both of its headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.infolist()[index].header_offset
    central = central_directory(data)[index]
    for offset in (local + 6, central + 8):  # general purpose flag bits
        flags = int.from_bytes(patched[offset : offset + 2], "little") | flag_bits
        patched[offset : offset + 2] = flags.to_bytes(2, "little")
    if file_size is not None:
        for offset in (local + 22, central + 24):  # uncompressed size
            patched[offset : offset + 4] = file_size.to_bytes(4, "little")
    return bytes(patched)


def rename_member(data: bytes, old: bytes, new: bytes) -> bytes:
    """Replace a member name (same length) in its local header and central directory entry."""
    assert len(old) == len(new) and data.count(old) == 2
    return data.replace(old, new)


def refusal_for(result: ReadUpload, label: str) -> str:
    """The one refusal of `label`; its message must name the label."""
    [refusal] = [refusal for refusal in result.refusals if refusal.label == label]
    assert f"„{label}“" in refusal.message
    return refusal.message


def names(result: ReadUpload) -> list[str]:
    return [seed.name for seed in result.seeds]


class CountingFile(io.BytesIO):
    """An uploaded file that counts the bytes read from it, and may lie about its size."""

    def __init__(self, name: str, data: bytes, size: int | None = None) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data) if size is None else size
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


# Loose files


def test_loose_txt_is_accepted():
    result = read_upload([loose("kreis-unna.txt")])
    assert result.seeds == [UploadedSeed("kreis-unna.txt", "kreis-unna.txt", TEXT)]
    assert result.refusals == []


def test_loose_txt_extension_is_case_insensitive():
    assert names(read_upload([loose("KREIS-UNNA.TXT")])) == ["KREIS-UNNA.TXT"]


@pytest.mark.parametrize("name", ["bild.png", "seite.html", "kreis.txt.exe", "liesmich"])
def test_other_extensions_are_refused(name):
    result = read_upload([loose(name), loose("kreis-unna.txt")])
    assert names(result) == ["kreis-unna.txt"]
    message = refusal_for(result, name)
    assert message == f"Nur .txt-Dateien werden importiert; „{name}“ wurde übersprungen."


def test_oversized_loose_file_is_refused_without_reading_it():
    big = CountingFile("gross.txt", b"x" * (MAX_SEED_BYTES + 10))
    result = read_upload([big])
    assert result.seeds == []
    assert refusal_for(result, "gross.txt") == (
        "„gross.txt“ ist größer als 2 MB und wurde übersprungen."
    )
    assert big.bytes_read == 0


def test_loose_file_larger_than_its_declared_size_is_read_only_to_the_limit(monkeypatch):
    monkeypatch.setattr(upload, "MAX_FILE_BYTES", 1_000)
    liar = CountingFile("luege.txt", b"x" * 500_000, size=10)
    result = read_upload([liar])
    assert result.seeds == []
    assert "größer als 1.000 Bytes" in refusal_for(result, "luege.txt")
    assert liar.bytes_read == 1_001


def test_loose_txt_that_is_a_zip_is_refused():
    docx = make_zip(("word/document.xml", b"<w:document/>"))
    result = read_upload([loose("bericht.txt", docx)])
    assert result.seeds == []
    assert "keine Textdatei, sondern ein ZIP-Archiv" in refusal_for(result, "bericht.txt")


def test_loose_macos_helper_file_is_refused():
    result = read_upload([loose("._kreis-unna.txt", b"\x00\x05\x16\x07")])
    assert result.seeds == []
    assert "Hilfsdatei" in refusal_for(result, "._kreis-unna.txt")


def test_empty_loose_file_is_refused():
    result = read_upload([loose("leer.txt", b"")])
    assert result.seeds == []
    assert refusal_for(result, "leer.txt") == "„leer.txt“ ist leer und wurde übersprungen."


# Archives: what is accepted


def test_txt_members_of_a_zip_are_accepted_by_base_name_with_the_archive_in_the_label():
    archive = make_zip(("2021/kreis-unna.txt", TEXT), ("kreis-leer.txt", b"Kreis Leer\n"))
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == [
        UploadedSeed("kreis-unna.txt", "seeds.zip: 2021/kreis-unna.txt", TEXT),
        UploadedSeed("kreis-leer.txt", "seeds.zip: kreis-leer.txt", b"Kreis Leer\n"),
    ]
    assert result.refusals == []


def test_zip_is_recognised_by_a_case_insensitive_extension():
    result = read_upload([loose("SEEDS.ZIP", make_zip(("kreis-unna.txt", TEXT)))])
    assert [seed.label for seed in result.seeds] == ["SEEDS.ZIP: kreis-unna.txt"]


def test_stored_members_are_accepted():
    archive = make_zip(("kreis-unna.txt", TEXT), compression=zipfile.ZIP_STORED)
    assert read_upload([loose("seeds.zip", archive)]).seeds[0].data == TEXT


def test_backslashes_in_member_names_separate_folders():
    result = read_upload([loose("seeds.zip", make_zip(("2021\\kreis-unna.txt", TEXT)))])
    assert result.seeds == [UploadedSeed("kreis-unna.txt", "seeds.zip: 2021\\kreis-unna.txt", TEXT)]


def test_directories_and_macos_junk_are_skipped_silently():
    archive = make_zip(
        ("2021/", b""),
        ("__MACOSX/", b""),
        ("__MACOSX/2021/._kreis-unna.txt", b"\x00\x05\x16\x07"),
        ("2021/._kreis-unna.txt", b"\x00\x05\x16\x07"),
        ("2021/.DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("2021/Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ("2021/kreis-unna.txt", TEXT),
    )
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert result.refusals == []


def test_member_name_in_utf8_without_the_utf8_flag_is_decoded_as_utf8():
    archive = rename_member(make_zip(("Lxxnen.txt", TEXT)), b"Lxxnen.txt", "Lünen.txt".encode())
    assert names(read_upload([loose("seeds.zip", archive)])) == ["Lünen.txt"]


def test_member_name_in_cp437_is_decoded():
    # Windows Explorer writes German names in the OEM code page, where "ü" is 0x81.
    archive = rename_member(make_zip(("Lxnen.txt", TEXT)), b"Lxnen.txt", b"L\x81nen.txt")
    assert names(read_upload([loose("seeds.zip", archive)])) == ["Lünen.txt"]


def test_decomposed_member_names_are_normalised_to_nfc():
    archive = make_zip(("Lu\u0308nen.txt", TEXT))  # macOS writes umlauts decomposed
    assert names(read_upload([loose("seeds.zip", archive)])) == ["L\u00fcnen.txt"]


# Archives: members refused, the rest accepted


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("../evil.txt", "Der Pfad enthält „..“."),
        ("2021/../../evil.txt", "Der Pfad enthält „..“."),
        ("..\\evil.txt", "Der Pfad enthält „..“."),
        ("/etc/x.txt", "Der Pfad ist absolut."),
        ("\\\\server\\share\\x.txt", "Der Pfad ist absolut."),
        ("C:\\x.txt", "Der Pfad enthält eine Laufwerksangabe."),
        ("c:x.txt", "Der Pfad enthält eine Laufwerksangabe."),
        ("kreis\u202etxt.exe.txt", "Der Name enthält Steuerzeichen."),
    ],
)
def test_unsafe_member_path_is_refused_and_the_other_members_accepted(member, reason):
    archive = make_zip((member, TEXT), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    label = "seeds.zip: " + member.replace("\u202e", "\ufffd")
    assert refusal_for(result, label) == f"„{label}“ wurde übersprungen: {reason}"


def test_member_name_with_nul_is_refused():
    # zipfile cuts names at a NUL ("evil.txt\0.png" would read as "evil.txt").
    archive = rename_member(make_zip(("evilX.txt", TEXT)), b"evilX.txt", b"evil\x00.txt")
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert "Steuerzeichen" in refusal_for(result, "seeds.zip: evil\ufffd.txt")


def test_member_name_longer_than_255_characters_is_refused():
    member = "a" * 252 + ".txt"
    result = read_upload([loose("seeds.zip", make_zip((member, TEXT)))])
    assert result.seeds == []
    [refusal] = result.refusals
    assert refusal.message.endswith("Der Dateiname ist länger als 255 Zeichen.")
    assert f"„{refusal.label}“" in refusal.message


def test_symlink_member_is_refused():
    link = zipfile.ZipInfo("passwort.txt")
    link.create_system = 3  # Unix
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip((link, b"/etc/passwd"), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert "symbolischer Link" in refusal_for(result, "seeds.zip: passwort.txt")


def test_nested_zip_is_refused():
    inner = make_zip(("kreis-leer.txt", TEXT))
    archive = make_zip(("innen.zip", inner), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert refusal_for(result, "seeds.zip: innen.zip") == (
        "Verschachtelte Archive werden nicht entpackt; „seeds.zip: innen.zip“ wurde übersprungen."
    )


def test_txt_member_that_is_a_zip_is_refused():
    archive = make_zip(("innen.txt", make_zip(("kreis-leer.txt", TEXT))))
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert "ZIP-Archiv" in refusal_for(result, "seeds.zip: innen.txt")


def test_non_txt_member_is_refused():
    archive = make_zip(("bild.png", b"\x89PNG\r\n"), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert refusal_for(result, "seeds.zip: bild.png") == (
        "Nur .txt-Dateien werden importiert; „seeds.zip: bild.png“ wurde übersprungen."
    )


def test_empty_member_is_refused():
    archive = make_zip(("leer.txt", b""), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert "ist leer" in refusal_for(result, "seeds.zip: leer.txt")


def test_member_declared_larger_than_the_file_limit_is_refused():
    archive = make_zip(("gross.txt", bytes(random.Random(1).randbytes(MAX_SEED_BYTES + 1))))
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert "größer als 2 MB" in refusal_for(result, "seeds.zip: gross.txt")


def test_member_with_a_lying_size_header_is_refused():
    # The central directory claims 10 bytes; zipfile stops there and the CRC check fails.
    archive = make_zip(("gross.txt", b"x" * 5_000), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", patch_member(archive, 0, file_size=10))])
    assert names(result) == ["kreis-unna.txt"]
    assert "Prüfsumme" in refusal_for(result, "seeds.zip: gross.txt")


def test_member_longer_than_declared_is_read_only_to_the_limit(monkeypatch):
    archive = make_zip(("gross.txt", b"klein"))
    endless = CountingFile("gross.txt", b"x" * 500_000)
    monkeypatch.setattr(upload, "MAX_FILE_BYTES", 1_000)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info: endless)
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert "größer als 1.000 Bytes" in refusal_for(result, "seeds.zip: gross.txt")
    assert endless.bytes_read == 1_001


def test_member_with_a_crc_error_is_refused():
    archive = make_zip(
        ("kaputt.txt", b"Kreis Leer\n"), ("kreis-unna.txt", TEXT), compression=zipfile.ZIP_STORED
    )
    damaged = archive.replace(b"Kreis Leer\n", b"Kreis Lear\n")
    result = read_upload([loose("seeds.zip", damaged)])
    assert names(result) == ["kreis-unna.txt"]
    assert refusal_for(result, "seeds.zip: kaputt.txt") == (
        "„seeds.zip: kaputt.txt“ ist beschädigt (die Prüfsumme stimmt nicht); "
        "die Datei wurde übersprungen."
    )


def test_encrypted_member_is_refused():
    archive = patch_member(make_zip(("geheim.txt", TEXT), ("kreis-unna.txt", TEXT)), 0, flag_bits=1)
    result = read_upload([loose("seeds.zip", archive)])
    assert names(result) == ["kreis-unna.txt"]
    assert "verschlüsselt" in refusal_for(result, "seeds.zip: geheim.txt")


def test_bzip2_member_is_refused():
    # zipfile inflates bzip2 without bounding the output of one read.
    archive = make_zip(("kreis-unna.txt", TEXT), compression=zipfile.ZIP_BZIP2)
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert "Deflate" in refusal_for(result, "seeds.zip: kreis-unna.txt")


# Archives refused as a whole


def test_zip_bomb_by_ratio_refuses_the_whole_archive():
    archive = make_zip(("nullen.txt", bytes(5_000_000)), ("kreis-unna.txt", TEXT))
    result = read_upload([loose("bombe.zip", archive), loose("kreis-leer.txt")])
    assert names(result) == ["kreis-leer.txt"]
    message = refusal_for(result, "bombe.zip")
    assert "„nullen.txt“ ist mehr als 100-fach komprimiert" in message
    assert len(result.refusals) == 1


def test_small_highly_compressed_member_is_accepted():
    archive = make_zip(("strich.txt", b"-" * 500_000))  # about 1:1000, but only 0.5 MB
    assert names(read_upload([loose("seeds.zip", archive)])) == ["strich.txt"]


def test_declared_total_too_large_refuses_the_whole_archive(monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1_000)
    archive = make_zip(("a.txt", b"a" * 600), ("b.txt", b"b" * 600))
    result = read_upload([loose("seeds.zip", archive)])
    assert result.seeds == []
    assert refusal_for(result, "seeds.zip") == (
        "„seeds.zip“ wurde nicht entpackt: Entpackt wäre es größer als 1.000 Bytes."
    )


def test_too_many_members_refuses_the_whole_archive():
    archive = make_zip(*((f"{number}.txt", TEXT) for number in range(2_001)))
    result = read_upload([loose("seeds.zip", archive), loose("kreis-leer.txt")])
    assert names(result) == ["kreis-leer.txt"]
    assert refusal_for(result, "seeds.zip") == (
        "„seeds.zip“ wurde nicht entpackt: Es enthält 2.001 Dateien, ein Upload darf "
        "höchstens 2.000 enthalten."
    )


def test_directories_and_junk_do_not_count_as_members(monkeypatch):
    monkeypatch.setattr(upload, "MAX_MEMBERS", 2)
    archive = make_zip(
        ("2021/", b""),
        ("2021/a.txt", TEXT),
        ("2021/b.txt", TEXT),
        ("__MACOSX/2021/._a.txt", b"\x00"),
        ("__MACOSX/2021/._b.txt", b"\x00"),
    )
    assert names(read_upload([loose("seeds.zip", archive)])) == ["a.txt", "b.txt"]


def test_archive_taking_the_upload_over_the_member_limit_is_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_MEMBERS", 3)
    archive = make_zip(("c.txt", TEXT), ("d.txt", TEXT))
    result = read_upload([loose("a.txt"), loose("b.txt"), loose("seeds.zip", archive)])
    assert names(result) == ["a.txt", "b.txt"]
    assert "enthielte der Upload mehr als 3 Dateien" in refusal_for(result, "seeds.zip")


def test_loose_file_past_the_member_limit_is_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_MEMBERS", 2)
    result = read_upload([loose("a.txt"), loose("b.txt"), loose("c.txt")])
    assert names(result) == ["a.txt", "b.txt"]
    assert "höchstens 2 Dateien" in refusal_for(result, "c.txt")


def test_oversized_central_directory_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(upload, "MAX_DIRECTORY_ENTRIES", 3)
    archive = make_zip(*((f"{number}/", b"") for number in range(4)))

    def parse(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", parse)
    result = read_upload([loose("seeds.zip", archive)])
    assert "Inhaltsverzeichnis ist ungewöhnlich groß" in refusal_for(result, "seeds.zip")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4_000),
        b"",
        make_zip(("kreis-unna.txt", TEXT))[:-10],  # cut off: no end record
        # An end record announcing one entry, in front of it 46 bytes that are not one.
        bytes(46) + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, 46, 0, 0),
    ],
    ids=["random", "empty", "truncated", "bad-directory"],
)
def test_corrupt_zip_is_refused_and_the_other_files_accepted(data):
    result = read_upload([loose("kaputt.zip", data), loose("kreis-unna.txt")])
    assert names(result) == ["kreis-unna.txt"]
    assert refusal_for(result, "kaputt.zip") == (
        "„kaputt.zip“ ist kein gültiges ZIP-Archiv und wurde übersprungen."
    )


def test_archive_with_only_encrypted_members_is_refused_as_a_whole():
    archive = make_zip(("a.txt", TEXT), ("b.txt", TEXT))
    archive = patch_member(patch_member(archive, 0, flag_bits=1), 1, flag_bits=1)
    result = read_upload([loose("geheim.zip", archive)])
    assert result.seeds == []
    assert refusal_for(result, "geheim.zip") == (
        "„geheim.zip“ ist passwortgeschützt und wurde nicht entpackt."
    )


def test_archive_without_files_is_refused():
    archive = make_zip(("2021/", b""), ("__MACOSX/._kreis-unna.txt", b"\x00"))
    result = read_upload([loose("leer.zip", archive)])
    assert result.seeds == []
    assert refusal_for(result, "leer.zip") == (
        "„leer.zip“ enthält keine Dateien und wurde übersprungen."
    )


# The upload as a whole


def test_duplicate_base_name_is_refused():
    archive = make_zip(("2021/kreis-unna.txt", b"neuer\n"))
    result = read_upload([loose("kreis-unna.txt"), loose("seeds.zip", archive)])
    assert result.seeds == [UploadedSeed("kreis-unna.txt", "kreis-unna.txt", TEXT)]
    assert refusal_for(result, "seeds.zip: 2021/kreis-unna.txt") == (
        "„seeds.zip: 2021/kreis-unna.txt“ wurde übersprungen: Der Dateiname „kreis-unna.txt“ "
        "kommt im Upload doppelt vor, übernommen wurde „kreis-unna.txt“."
    )


def test_duplicate_of_a_refused_file_is_accepted():
    archive = make_zip(("2021/kreis-unna.txt", b""), ("2022/kreis-unna.txt", TEXT))
    result = read_upload([loose("seeds.zip", archive)])
    assert [seed.label for seed in result.seeds] == ["seeds.zip: 2022/kreis-unna.txt"]
    assert "ist leer" in refusal_for(result, "seeds.zip: 2021/kreis-unna.txt")


def test_seeds_past_the_total_limit_are_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1_000)
    files = [loose("a.txt", b"a" * 600), loose("b.txt", b"b" * 600), loose("c.txt", b"c")]
    result = read_upload(files)
    assert names(result) == ["a.txt"]
    for label in ("b.txt", "c.txt"):
        assert refusal_for(result, label) == (
            f"„{label}“ wurde übersprungen: Alle Dateien zusammen dürfen höchstens "
            "1.000 Bytes groß sein."
        )


def test_total_limit_counts_what_was_read_not_what_was_declared(monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1_000)
    files = [loose("a.txt", b"a" * 600), CountingFile("b.txt", b"b" * 600, size=1)]
    result = read_upload(files)
    assert names(result) == ["a.txt"]
    assert "höchstens 1.000 Bytes" in refusal_for(result, "b.txt")


def test_files_are_read_in_upload_order_across_archives():
    files = [
        loose("eins.txt"),
        loose("seeds.zip", make_zip(("zwei.txt", TEXT), ("drei.txt", TEXT))),
        loose("vier.txt"),
    ]
    assert names(read_upload(files)) == ["eins.txt", "zwei.txt", "drei.txt", "vier.txt"]
