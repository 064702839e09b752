"""Evidence files are what their content is: PDF, JPEG or PNG that parse, under plain names."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter

from xinyong.rights.attachments import AttachmentRefused, check_attachment, plain_name

LIMIT = 1024 * 1024


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format=kind)
    return buffer.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "claimed", "expected"),
    [
        ("回单.pdf", _pdf, "application/pdf", "application/pdf"),
        ("photo.JPG", lambda: _image("JPEG"), "image/jpeg", "image/jpeg"),
        ("photo.jpeg", lambda: _image("JPEG"), None, "image/jpeg"),
        ("scan.png", lambda: _image("PNG"), "application/octet-stream", "image/png"),
        ("no-extension", lambda: _image("PNG"), "image/png", "image/png"),
    ],
)
def test_real_files_are_accepted_as_what_their_content_is(
    name: str, make: object, claimed: str | None, expected: str
) -> None:
    content = make()  # type: ignore[operator]
    accepted = check_attachment(name, content, claimed, max_bytes=LIMIT)
    assert accepted.media_type == expected
    assert accepted.content == content


@pytest.mark.parametrize(
    ("name", "content", "claimed", "reason"),
    [
        ("x.pdf", b"", "application/pdf", "empty"),
        ("x.pdf", b"<html><script>alert(1)</script>", "application/pdf", "only PDF, JPEG and PNG"),
        ("x.exe", b"MZ\x90\x00", None, "only PDF, JPEG and PNG"),
        ("x.pdf", _image("PNG"), "application/pdf", "says it is application/pdf"),
        ("x.pdf", _image("PNG"), None, "ends .pdf"),
        ("x.exe", _pdf(), "application/pdf", "ends .exe"),
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", "not a readable png"),
        ("x.jpg", _image("JPEG")[:40], "image/jpeg", "not a readable jpg"),
        ("x.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf", "not a readable pdf"),
        ("x.pdf", b"%PDF-1.7\n" + b"0" * LIMIT, "application/pdf", "larger than"),
    ],
)
def test_spoofed_broken_and_oversized_files_are_refused_with_the_reason(
    name: str, content: bytes, claimed: str | None, reason: str
) -> None:
    with pytest.raises(AttachmentRefused, match=reason):
        check_attachment(name, content, claimed, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\a\\回单.pdf", "回单.pdf"),
        ("evil\r\nname.pdf", "evilname.pdf"),
        ("  .hidden.  ", "hidden"),
        ("", "attachment"),
        ("a" * 300 + ".pdf", "a" * 120),
    ],
)
def test_names_are_reduced_to_plain_base_names(given: str, kept: str) -> None:
    assert plain_name(given) == kept
