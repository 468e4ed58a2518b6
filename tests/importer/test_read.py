"""Reading seed files: encodings, line endings, checksum and the size guard."""

import hashlib
import pathlib

import pytest

from articles.importer import read
from articles.importer.read import SeedReadError, decode_seed, read_seed

SEEDS = pathlib.Path(__file__).resolve().parents[2] / "seeds"
SEED_001 = SEEDS / "001_512854dc28e21360.txt"
CAPTION = (
    "Kreis Leer startet die „Initiative Digital“. \nDie Digitalisierung wird – so Groote – Thema."
)


def test_utf8_is_decoded():
    assert decode_seed(CAPTION.encode("utf-8")) == CAPTION


def test_utf8_bom_is_dropped():
    assert decode_seed(b"\xef\xbb\xbf" + CAPTION.encode("utf-8")) == CAPTION


def test_windows_1252_is_the_fallback():
    assert decode_seed(CAPTION.encode("cp1252")) == CAPTION


def test_windows_1252_seed_decodes_like_the_utf8_seed():
    text = SEED_001.read_text(encoding="utf-8")
    assert decode_seed(text.replace("\n", "\r\n").encode("cp1252")) == text


def test_bytes_undefined_in_windows_1252_decode_as_latin_1():
    # 0x81 and 0x9d are undefined in cp1252; 0xfc is "ü" and makes the data invalid UTF-8.
    assert decode_seed(b"B\xfcrger\x81\x9d") == "Bürger\x81\x9d"


def test_crlf_becomes_lf():
    assert decode_seed(b"Kreis Unna:\r\nDigitaler Masterplan\r\n") == (
        "Kreis Unna:\nDigitaler Masterplan\n"
    )


def test_cr_only_becomes_lf():
    assert (
        decode_seed(b"Kreis Unna:\rDigitaler Masterplan\r") == "Kreis Unna:\nDigitaler Masterplan\n"
    )


def test_utf16_with_bom_is_decoded():
    assert decode_seed(CAPTION.encode("utf-16")) == CAPTION


def test_read_seed_returns_name_text_checksum_and_size():
    raw = SEED_001.read_bytes()
    seed = read_seed(SEED_001)
    assert seed.name == "001_512854dc28e21360.txt"
    assert seed.text == raw.decode("utf-8")
    assert seed.checksum == hashlib.sha256(raw).hexdigest()
    assert seed.size == len(raw)


def test_checksum_is_of_the_raw_bytes(tmp_path):
    raw = CAPTION.replace("\n", "\r\n").encode("cp1252")
    path = tmp_path / "page.txt"
    path.write_bytes(raw)
    seed = read_seed(path)
    assert seed.checksum == hashlib.sha256(raw).hexdigest()
    assert seed.text == CAPTION


def test_file_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(read.MAX_SEED_BYTES + 1)  # sparse: no real data written

    def must_not_open(*args, **kwargs):
        raise AssertionError("a file over the limit must not be opened")

    monkeypatch.setattr(pathlib.Path, "open", must_not_open)
    with pytest.raises(SeedReadError) as caught:
        read_seed(path)
    assert caught.value.path == str(path)
    assert "too large" in caught.value.reason
    assert str(read.MAX_SEED_BYTES) in str(caught.value)


def test_file_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_SEED_BYTES", 10)
    path = tmp_path / "page.txt"
    path.write_bytes(b"0123456789")
    assert read_seed(path).size == 10


def test_missing_file_is_a_seed_read_error(tmp_path):
    with pytest.raises(SeedReadError) as caught:
        read_seed(tmp_path / "missing.txt")
    assert str(caught.value).startswith(str(tmp_path / "missing.txt") + ": cannot read")
