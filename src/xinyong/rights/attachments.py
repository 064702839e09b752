"""Evidence attached to an objection or a repair: PDF, JPEG or PNG, checked by content.

What a file claims to be (its name, the upload's Content-Type) is not
trusted: the bytes are parsed by the library that reads that format
(Pillow for images, pypdf for PDF), and a file that does not parse as what
it claims, or claims a type it is not, is refused. The name is kept only to
show the subject what they sent, reduced to a plain base name; it never
names anything on disk (attachments live in the store) and is never sent
back as a header.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _

MEDIA_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".png": "image/png"}  # fmt: skip
_NAME_LENGTH = 120


class AttachmentRefused(ValueError):
    """The file is not one the node accepts; ``reason`` says why, for the filer."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    filename: str  # the plain base name shown back
    media_type: str  # what the content was checked to be
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def plain_name(filename: str) -> str:
    """The base name without directories, control characters or surrounding space."""
    base = re.split(r"[\\/]", filename)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    return base[:_NAME_LENGTH] or "attachment"


def sniff(content: bytes) -> str | None:
    """The media type the leading bytes announce, if it is one we accept."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _parses(media_type: str, content: bytes) -> bool:
    """Whether the whole file reads as ``media_type`` with that format's library."""
    try:
        if media_type == "application/pdf":
            from pypdf import PdfReader  # imported here: only filings need it

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pypdf warns about repairable oddities
                return len(PdfReader(io.BytesIO(content), strict=True).pages) > 0
        from PIL import Image

        with Image.open(io.BytesIO(content)) as image:
            if Image.MIME.get(image.format or "") != media_type:
                return False
            image.verify()  # reads the whole image stream: a truncated or forged one fails
        return True
    except Exception:  # noqa: BLE001 - any parse failure means "not this format"
        return False


def check_attachment(
    filename: str, content: bytes, claimed_type: str | None, *, max_bytes: int
) -> Attachment:
    """The attachment, checked; :class:`AttachmentRefused` saying why when it is not accepted."""
    name = plain_name(filename)
    if not content:
        raise AttachmentRefused(name, Phrase(_("the file is empty")))
    if len(content) > max_bytes:
        raise AttachmentRefused(
            name, Phrase(_("the file is larger than {n} bytes"), n=f"{max_bytes:,}")
        )
    found = sniff(content)
    if found is None:
        raise AttachmentRefused(name, Phrase(_("only PDF, JPEG and PNG files are accepted")))
    claimed = (claimed_type or "").split(";")[0].strip().lower()
    if claimed and claimed != "application/octet-stream" and claimed != found:
        raise AttachmentRefused(name, Phrase(_("the file says it is {claimed} but its content is {found}"),
                                             claimed=claimed, found=found))  # fmt: skip
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension and _EXTENSIONS.get(extension) != found:
        raise AttachmentRefused(name, Phrase(_("the name ends {extension} but its content is {found}"),
                                             extension=extension, found=found))  # fmt: skip
    if not _parses(found, content):
        raise AttachmentRefused(name, Phrase(_("the file is not a readable {kind} file"),
                                             kind=MEDIA_TYPES[found][1:]))  # fmt: skip
    return Attachment(name, found, content)
