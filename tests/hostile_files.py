"""Small files that stand for a great deal of work: alias bombs, zip bombs, sparse sheets.

Each is built in memory in the test (nothing is downloaded or stored in the repository); the
zip bomb is built once per run, as compressing its 200 MB takes a second or two.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from collections.abc import Callable
from typing import IO

from openpyxl import Workbook

LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{','.join([f'*{before}'] * 9)}]"
            for before, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
"""'Billion laughs': 341 bytes of YAML whose aliases of aliases stand for 9**9 strings. Its
second '*d', on line 5, is where the expanded document passes 20,000 values."""

SHEET = "xl/worksheets/sheet1.xml"
BOMB_BYTES = 200 * 1024 * 1024


def workbook_bytes(title: str = "Sheet1", rows: tuple[tuple[object, ...], ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replaced(raw: bytes, name: str, write: Callable[[IO[bytes]], None]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == name:
                with target.open(name, "w") as stream:
                    write(stream)
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def _bomb_sheet(stream: IO[bytes], size: int) -> None:
    start = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    stream.write(start + b"<sheetData>")
    chunk = b" " * (1 << 20)
    for _ in range(size // len(chunk)):
        stream.write(chunk)
    stream.write(b"</sheetData></worksheet>")


@functools.cache
def zip_bomb_xlsx(title: str = "Sheet1") -> bytes:
    """A workbook of a few hundred KB whose sheet unzips to 200 MB of blanks."""
    bomb = functools.partial(_bomb_sheet, size=BOMB_BYTES)
    return _replaced(workbook_bytes(title), SHEET, bomb)


def lying_zip_bomb_xlsx(title: str = "Sheet1") -> bytes:
    """The zip bomb with its sheet's unzipped size declared as 2,000 bytes (both headers)."""
    raw = bytearray(zip_bomb_xlsx(title))
    name = SHEET.encode()
    central = raw.index(b"PK\x01\x02")  # the central directory's entries
    while raw[central + 46 : central + 46 + len(name)] != name:
        central = raw.index(b"PK\x01\x02", central + 4)
    raw[central + 24 : central + 28] = struct.pack("<I", 2000)
    local = struct.unpack("<I", raw[central + 42 : central + 46])[0]
    raw[local + 22 : local + 26] = struct.pack("<I", 2000)
    return bytes(raw)


def sparse_xlsx(title: str = "Sheet1", header: tuple[object, ...] = ("a", "b")) -> bytes:
    """A workbook of a few KB whose sheet declares all 1,048,576 x 16,384 cells, with a header
    row and one cell in the far corner: readers that pad rows to the declared size would build
    17 billion values."""
    corner = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _with_rows(title, header, 1_048_576, corner)


def wide_rows_xlsx(title: str, header: tuple[object, ...], rows: int) -> bytes:
    """A workbook whose rows after the header each hold one cell in the last column, XFD: about
    50 bytes of XML a row, 128 KB once a reader pads it to its width."""
    far = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(2, rows + 2))
    return _with_rows(title, header, rows + 1, far)


def _with_rows(title: str, header: tuple[object, ...], last: int, rows: str) -> bytes:
    raw = workbook_bytes(title, (header,))
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        xml = source.read(SHEET).decode()
    start, end = xml.index("<dimension"), xml.index("/>", xml.index("<dimension")) + 2
    xml = xml[:start] + f'<dimension ref="A1:XFD{last}"/>' + xml[end:]
    xml = xml.replace("</sheetData>", rows + "</sheetData>")

    def write(stream: IO[bytes]) -> None:
        stream.write(xml.encode())

    return _replaced(raw, SHEET, write)
