"""Edge cases of hostile or unusual input that once broke a batch, and the mapping's declared encoding."""

from __future__ import annotations

import pytest

from tests.ingest.conftest import NOW, manifest_files
from tests.ingest.test_record_lifecycle import Node, penalty, registration, send
from xinyong.ingest.errors import EncodingError
from xinyong.ingest.service import Upload, ingest_file
from xinyong.synth.service import GenerationReport


def test_an_overlong_payload_key_is_a_rejected_row_not_a_failed_batch(node: Node) -> None:
    send(node, [registration()])
    key = "x" * 500
    report = send(
        node, [penalty(payload=penalty()["payload"] | {key: "1"}), penalty(document_number="ok")]
    )
    assert (report.accepted, report.rejected) == (1, 1)
    assert dict(report.rejected_by_code) == {"payload-unknown-field": 1}


def test_a_structure_in_a_text_field_is_a_type_error(node: Node) -> None:
    send(node, [registration()])
    payload = penalty()["payload"] | {"facts": ["not", "text"]}
    report = send(node, [penalty(payload=payload)])
    assert dict(report.rejected_by_code) == {"payload-type": 1}


def test_the_encoding_a_mapping_declares_is_the_one_decoded(
    city: GenerationReport, node: Node
) -> None:
    _, store, pack = node
    entry = next(e for e in manifest_files(city) if e["path"].startswith("hrss/"))
    gb = (city.out / entry["path"]).read_bytes()
    # hrss_records declares GB18030: the file as exported is read ...
    report = ingest_file(store, pack, Upload("hrss.csv", gb, "hrss"), NOW)
    assert report.encoding == "gb18030"
    # ... and the same table saved as UTF-8 is refused, not silently misread.
    utf8 = gb.decode("gb18030").encode("utf-8")
    with pytest.raises(EncodingError) as caught:
        ingest_file(store, pack, Upload("hrss-utf8.csv", utf8, "hrss"), NOW)
    assert "GB18030" in caught.value.render()
