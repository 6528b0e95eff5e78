"""File uploads for the API: a multipart ``file`` part or the raw body, size- and type-checked,
written to a temporary file for the file-reading services; and service errors as problems.

Problems the services find name the temporary file; they are renamed to the uploaded name so
a 422 names the file the client sent.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from sourcewise.domain.problems import InputError, Problem
from sourcewise.web.problems import ApiError
from sourcewise.web.settings import WebSettings

YAML = (".yaml", ".yml")
CSV = (".csv",)
MEASUREMENTS = (".csv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")
_BY_MEDIA_TYPE = {
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
    "text/csv": ".csv",
    "application/json": ".json",
    "application/jsonl": ".jsonl",
    "application/x-ndjson": ".jsonl",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_SAFE = re.compile(r"[^A-Za-z0-9._ -]")


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    data: bytes

    def suffix(self) -> str:
        return PurePath(self.filename).suffix.lower()


def _limit(request: Request) -> int:
    settings: WebSettings = request.app.state.settings
    return settings.max_upload_bytes


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "Upload too large", f"send at most {limit:,} bytes")


async def read_upload(request: Request) -> Upload:
    """The uploaded file: the multipart part ``file``, or the whole body, whose type comes
    from its Content-Type (a ``?filename=`` names it in problems)."""
    limit = _limit(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=5)
        try:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                raise ApiError(
                    422,
                    "No file",
                    "send the file as the multipart part 'file'",
                    [{"field": "body.file", "message": "missing"}],
                )
            data = await part.read(limit + 1)
            name = part.filename or "upload"
        finally:
            await form.close()
    else:
        suffix = _BY_MEDIA_TYPE.get(media_type)
        if suffix is None:
            known = ", ".join(sorted(_BY_MEDIA_TYPE))
            raise ApiError(
                415,
                "Unsupported media type",
                f"send multipart/form-data with a 'file' part, or one of: {known}",
            )
        data = await request.body()
        name = request.query_params.get("filename") or f"upload{suffix}"
        if PurePath(name).suffix.lower() != suffix:
            name += suffix
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise ApiError(422, "Empty file", "the uploaded file is empty", [{"file": name}])
    return Upload(_SAFE.sub("_", PurePath(name.replace("\\", "/")).name) or "upload", data)


def require_type(upload: Upload, allowed: Iterable[str]) -> None:
    kinds = tuple(allowed)
    if upload.suffix() not in kinds:
        raise ApiError(
            415,
            "Unsupported file type",
            f"'{upload.filename}' is not one of: {', '.join(kinds)}",
            [{"file": upload.filename, "field": "file", "message": "unsupported file type"}],
        )


def renamed(problems: Iterable[Problem], folder: str, name: str) -> list[Problem]:
    """The problems with the temporary path replaced by the uploaded file's name."""
    out = []
    for p in problems:
        file = name if p.file.endswith(f"/{name}") else p.file
        out.append(replace(p, file=file.replace(folder + "/", "")))
    return out


@contextmanager
def saved(upload: Upload, allowed: Iterable[str]) -> Iterator[Path]:
    """The upload as a file in a private temporary folder, removed afterwards."""
    require_type(upload, allowed)
    with tempfile.TemporaryDirectory(prefix="sourcewise-upload-") as folder:
        path = Path(folder) / upload.filename
        path.write_bytes(upload.data)
        try:
            yield path
        except InputError as error:
            raise InputError(renamed(error.problems, folder, upload.filename)) from None


def upload_body(*media_types: str) -> dict[str, Any]:
    """OpenAPI ``requestBody`` of an upload route (the route reads the body itself)."""
    content: dict[str, Any] = {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    }
    for media_type in media_types:
        content[media_type] = {"schema": {"type": "string", "format": "binary"}}
    return {"requestBody": {"required": True, "content": content}}


@contextmanager
def service_errors() -> Iterator[None]:
    """Service exceptions as problems: unknown things 404, impossible requests 422."""
    try:
        yield
    except (KeyError, IndexError):
        raise
    except LookupError as error:
        raise ApiError(404, "Not found", str(error.args[0] if error.args else error)) from None
    except ValueError as error:
        raise ApiError(422, "Invalid request", str(error)) from None
