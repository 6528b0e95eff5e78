"""A reader of R's serialised data files (``.rda``, XDR format 2 or 3), enough for the numeric
data frames the value-of-information packages ship: numbers, integers, strings, lists and their
attributes. Test support only."""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from pathlib import Path
from typing import Any

import numpy as np

NIL, EMPTY_ENV, GLOBAL_ENV, REF = 254, 242, 253, 255
SYMBOL, PAIRS, ATTRIBUTE_PAIRS, CHARS = 1, 2, 238, 9
LOGICAL, INTEGER, REAL, STRINGS, LIST = 10, 13, 14, 16, 19


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at, self.refs = data, 0, list[Any]()

    def integer(self) -> int:
        (value,) = struct.unpack(">i", self.data[self.at : self.at + 4])
        self.at += 4
        return int(value)

    def item(self) -> Any:
        flags = self.integer()
        kind, has_attributes, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in (NIL, EMPTY_ENV, GLOBAL_ENV):
            return None
        if kind == REF:
            return self.refs[(flags >> 8 or self.integer()) - 1]
        if kind == SYMBOL:
            name = self.item()
            self.refs.append(name)
            return name
        if kind == CHARS:
            size = self.integer()
            if size == -1:
                return None
            self.at += size
            return self.data[self.at - size : self.at].decode("utf-8")
        if kind in (PAIRS, ATTRIBUTE_PAIRS):
            pairs = {}
            while kind in (PAIRS, ATTRIBUTE_PAIRS):
                if has_attributes:
                    self.item()
                tag = self.item() if has_tag else None
                pairs[tag] = self.item()
                flags = self.integer()
                kind, has_attributes, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
            return pairs
        size = self.integer()
        if kind in (LOGICAL, INTEGER):
            value: Any = np.frombuffer(self.data, ">i4", size, self.at).astype(np.int64)
            self.at += 4 * size
        elif kind == REAL:
            value = np.frombuffer(self.data, ">f8", size, self.at).astype(np.float64)
            self.at += 8 * size
        elif kind in (STRINGS, LIST):
            value = [self.item() for _ in range(size)]
        else:
            raise ValueError(f"R type {kind} is not supported")
        attributes = self.item() if has_attributes else {}
        if isinstance(attributes, dict) and "names" in attributes and kind == LIST:
            return dict(zip(attributes["names"], value, strict=True))
        return value


def load_rda(path: Path) -> dict[str, Any]:
    """The objects of an ``.rda`` file by name; a data frame becomes a dict of columns."""
    raw = path.read_bytes()
    for opener in (bz2.decompress, gzip.decompress, lzma.decompress):
        try:
            raw = opener(raw)
            break
        except (OSError, ValueError, lzma.LZMAError):
            continue
    if raw[:5] not in (b"RDX2\n", b"RDX3\n") or raw[5:7] != b"X\n":
        raise ValueError(f"{path} is not an R data file in XDR format")
    reader = _Reader(raw[7:])
    version = reader.integer()
    reader.integer(), reader.integer()  # the writer's and the minimal reader's R versions
    if version == 3:
        reader.at += reader.integer()  # the native encoding's name
    found = reader.item()
    return dict(found)
