"""Huge and deeply folded vCard fields: unfolded exactly, and a field over the limit is one
card's error naming its line, never a stall. (Speed lives in bench/bench_parsers.py.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kith.io.encoding import iter_byte_lines
from kith.io.vcard import read_vcards
from kith.io.vcard_lines import MAX_FIELD_BYTES


def _folded(name: bytes, value: bytes, width: int = 73) -> bytes:
    pieces = [value[i : i + width] for i in range(0, len(value), width)] or [b""]
    return name + b":" + b"\r\n ".join(pieces) + b"\r\n"


def _card(*props: bytes) -> bytes:
    return b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + b"".join(props) + b"END:VCARD\r\n"


def test_a_note_folded_over_a_thousand_lines_unfolds_exactly(tmp_path: Path) -> None:
    note = "".join(f"word{i} " for i in range(12_000))[: MAX_FIELD_BYTES - 10]
    path = tmp_path / "big.vcf"
    path.write_bytes(_card(b"FN:Ana Ruiz\r\n", _folded(b"NOTE", note.encode())))
    (record,), errors = read_vcards(path)
    assert errors == []
    assert record.note == note.strip()


def test_a_field_over_the_limit_is_one_error_naming_its_line(tmp_path: Path) -> None:
    huge = _folded(b"NOTE", b"x" * (MAX_FIELD_BYTES + 1))
    path = tmp_path / "hostile.vcf"
    path.write_bytes(
        _card(b"FN:Before\r\n") + _card(b"FN:Mallory\r\n", huge) + _card(b"FN:After\r\n")
    )
    records, errors = read_vcards(path)
    assert [r.name for r in records] == ["Before", "After"]
    (error,) = errors
    assert error.line == 8  # the NOTE line of the second card
    assert error.field == "note"
    assert f"over the {MAX_FIELD_BYTES:,}-byte limit" in error.message


def test_a_huge_photo_is_dropped_unread_and_the_card_imports(tmp_path: Path) -> None:
    photo = _folded(b"PHOTO;ENCODING=b;TYPE=JPEG", b"QUJD" * (MAX_FIELD_BYTES // 2))
    path = tmp_path / "photo.vcf"
    path.write_bytes(_card(b"FN:Ana Ruiz\r\n", photo, b"EMAIL:ana@example.org\r\n"))
    (record,), errors = read_vcards(path)
    assert errors == []
    assert record.emails == ("ana@example.org",)


def test_quoted_printable_soft_breaks_over_many_lines(tmp_path: Path) -> None:
    text = "é" * 3000
    encoded = "".join(f"={b:02X}" for b in text.encode()).encode()
    lines = [encoded[i : i + 72] for i in range(0, len(encoded), 72)]
    note = b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:" + b"=\r\n".join(lines) + b"\r\n"
    path = tmp_path / "qp.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Zoe\r\n" + note + b"END:VCARD\r\n")
    (record,), errors = read_vcards(path)
    assert errors == []
    assert record.note == text


_PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=300)


@given(st.lists(_PRINTABLE.map(str.encode), min_size=1, max_size=20))
def test_cr_only_files_split_into_the_same_lines_whatever_their_length(
    pieces: list[bytes],
) -> None:
    # hypothesis runs many examples per test: each gets its own folder, not tmp_path
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cr.vcf"
        path.write_bytes(b"\r".join([b"BEGIN:VCARD", *pieces, b"x" * 200_000, b"END:VCARD"]))
        lines, _ = iter_byte_lines(path)
        assert list(lines) == [b"BEGIN:VCARD", *pieces, b"x" * 200_000, b"END:VCARD"]
