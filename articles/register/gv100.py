"""Reading Destatis' Gemeindeverzeichnis GV100AD (fixed-width records, 220 characters).

Positions follow Destatis' "Datensatzbeschreibung" (1-based, inclusive). They count
characters, not bytes: the file is UTF-8 and each record is 220 characters long.
"""

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RECORD_LENGTH = 220

# Satzart (record type)
LAND, REGIERUNGSBEZIRK, REGION, KREIS, GEMEINDEVERBAND, GEMEINDE = (
    "10",
    "20",
    "30",
    "40",
    "50",
    "60",
)


class RegisterFormatError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RegisterRecord:
    record_type: str
    land: str  # 2 digits
    regierungsbezirk: str  # 1 digit or blank
    kreis: str  # 2 digits or blank
    gemeinde: str  # 3 digits or blank
    verband: str  # 4 digits or blank (Gemeindeverband)
    name: str
    seat: str
    text_code: str  # Textkennzeichen, e.g. 43 Kreis, 44 Landkreis, 63 Stadt
    population: int | None
    line: int

    @property
    def key(self) -> str:
        """The official key at the record's own level."""
        if self.record_type == LAND:
            return self.land
        if self.record_type == REGIERUNGSBEZIRK:
            return self.land + self.regierungsbezirk
        if self.record_type == KREIS:
            return self.kreis_key
        if self.record_type == GEMEINDEVERBAND:
            return self.kreis_key + self.verband
        if self.record_type == GEMEINDE:
            return self.kreis_key + self.gemeinde  # the 8-digit AGS
        return self.land + self.regierungsbezirk + self.kreis

    @property
    def kreis_key(self) -> str:
        return self.land + self.regierungsbezirk + self.kreis


def _field(record: str, start: int, end: int) -> str:
    return record[start - 1 : end].strip()


def parse_record(record: str, line: int) -> RegisterRecord:
    record = record.rstrip("\r\n")
    if len(record) != RECORD_LENGTH:
        raise RegisterFormatError(line, f"expected {RECORD_LENGTH} characters, got {len(record)}")
    record_type = _field(record, 1, 2)
    if record_type not in {LAND, REGIERUNGSBEZIRK, REGION, KREIS, GEMEINDEVERBAND, GEMEINDE}:
        raise RegisterFormatError(line, f"unknown record type {record_type!r}")
    population = None
    if record_type == GEMEINDE:
        raw_population = _field(record, 140, 150)
        if raw_population:
            if not raw_population.isdigit():
                raise RegisterFormatError(line, f"population is not a number: {raw_population!r}")
            population = int(raw_population)
    return RegisterRecord(
        record_type=record_type,
        land=_field(record, 11, 12),
        regierungsbezirk=_field(record, 13, 13),
        kreis=_field(record, 14, 15),
        gemeinde=_field(record, 16, 18),
        verband=_field(record, 19, 22),
        name=_field(record, 23, 72),
        seat=_field(record, 73, 122),
        text_code=_field(record, 123, 124),
        population=population,
        line=line,
    )


def read_register(path: Path) -> Iterator[RegisterRecord]:
    """Records of the register file at `path` (plain or gzip-compressed)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, record in enumerate(lines, start=1):
            if record.strip():
                yield parse_record(record, number)
