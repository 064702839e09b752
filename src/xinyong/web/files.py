"""How the node hands out a stored evidence file: always a download, with its checked type."""

from __future__ import annotations

from starlette.responses import Response

from xinyong.store.queries.objections import AttachmentRow

_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def attachment_response(row: AttachmentRow, content: bytes) -> Response:
    """The file as stored, typed as its content was checked to be, never shown inline.

    The name in the header is the node's own (``attachment-<id>.<ext>``), not
    the uploader's, so nothing a filer typed reaches a response header.
    """
    headers = {"Content-Disposition": f'attachment; filename="attachment-{row.id}.{_EXTENSIONS[row.media_type]}"',
               "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}  # fmt: skip
    return Response(content, media_type=row.media_type, headers=headers)
