"""Why a file or a row was refused, one class per reason, each with a stable code.

File errors (:class:`FileError`) mean the whole file is unusable: nothing is
stored. Row errors (:class:`RowError`) refuse one row, which goes to the
quarantine with its code and message while the rest of the file applies.
Both render through the one error tree, so the CLI, the API and the
quarantine file say the same thing in the same words.
"""

from __future__ import annotations

from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop as _


class FileError(XinyongError):
    """The file cannot be ingested at all; the store is left as it was."""

    code = "ingest-file"
    status = 422
    message = _("{file}: {detail}")


class EmptyFileError(FileError):
    code = "ingest-empty-file"
    message = _("{file} is empty: export the department's data again")


class NoDataRowsError(FileError):
    code = "ingest-no-rows"
    message = _("{file} has a header but no data rows")


class BinaryFileError(FileError):
    code = "ingest-binary"
    message = _(
        "{file} is not a CSV, XLSX or JSON Lines file (it holds binary data at byte {offset})"
    )


class EncodingError(FileError):
    code = "ingest-encoding"
    message = _(
        "{file} is not valid {encoding}: byte {offset} (0x{byte}) cannot be decoded; "
        "save it as UTF-8 or GB18030, or declare its encoding in the mapping"
    )


class Utf16Error(FileError):
    code = "ingest-utf16"
    message = _(
        '{file} is UTF-16 text (Excel\'s "Unicode Text"), which is not a CSV export; '
        'save it as "CSV UTF-8" or as CSV in GB18030'
    )


class UnknownEncodingError(FileError):
    code = "ingest-unknown-encoding"
    status = 400
    message = _("encoding {encoding!r} is not known; use auto, utf-8, utf-8-sig or gb18030")


class CsvFormatError(FileError):
    code = "ingest-bad-csv"
    message = _("{file} line {line} cannot be read as CSV: {reason}; export the file again")


class LineTooLongError(FileError):
    code = "ingest-line-too-long"
    message = _(
        "{file} line {line} is longer than {limit} bytes: the file is probably not a "
        "department export (a missing line break or a binary file)"
    )


class UnknownLayoutError(FileError):
    code = "ingest-unknown-layout"
    message = _(
        "{file}: no mapping of the pack reads a file with these columns ({headers}); "
        "add a mapping under the pack's mappings/ or name one with --mapping"
    )


class UnknownMappingError(FileError):
    code = "ingest-unknown-mapping"
    status = 400
    message = _("mapping {mapping} is not in the pack; known: {known}")


class MappingColumnsError(FileError):
    code = "ingest-mapping-columns"
    message = _("{file}: mapping {mapping} needs columns the file lacks: {missing}")


class MappingDepartmentError(FileError):
    code = "ingest-mapping-department"
    status = 403
    message = _("{file}: mapping {mapping} is for {allowed}, not for department {department}")


class UnknownDepartmentError(FileError):
    code = "ingest-unknown-department"
    status = 400
    message = _("department {department} is not a department of this node; known: {known}")


class SpreadsheetError(FileError):
    code = "ingest-bad-xlsx"
    message = _("{file} looks like an XLSX workbook but cannot be read: {reason}")


class FileTooLargeError(FileError):
    code = "ingest-file-too-large"
    status = 413
    message = _(
        "{file} is {size} MB, more than the {limit} MB this node ingests at once "
        "(setting ingest_max_file_bytes): split it into parts"
    )


class WorkbookBombError(FileError):
    code = "ingest-xlsx-inflates"
    status = 413
    message = _(
        "{file} unpacks to {size} MB ({ratio}× its size): more than a department export "
        "holds; split the workbook or export CSV"
    )


class TooManyRecordsError(FileError):
    code = "ingest-too-many-records"
    status = 413
    message = _("{count} records in one call; send at most {limit} per call")


class RowError(XinyongError):
    """One row refused; rendered into the quarantine and the batch's rejected rows."""

    code = "ingest-row"
    status = 422
    message = _("{detail}")


class MissingValueError(RowError):
    code = "value-missing"
    message = _("{field} is empty; it is required")


class UnknownItemError(RowError):
    code = "unknown-item"
    message = _("{value!r} names no catalog item this mapping knows; expected one of: {known}")


class ItemSubjectKindError(RowError):
    code = "item-subject-kind"
    message = _("catalog item {item} is not about {kind} persons")


class ItemNotInForceError(RowError):
    code = "item-not-in-force"
    message = _("catalog item {item} is not in force today ({day}; in force from {start} to {end})")


class DepartmentNotAllowedError(RowError):
    code = "department-not-allowed"
    message = _("department {department} may not report {item}; allowed: {allowed}")


class KindMismatchError(RowError):
    code = "subject-kind-mismatch"
    message = _("the file says the subject is a {hint} person but {code} is a {kind} code")


class UnknownSubjectError(RowError):
    code = "unknown-subject"
    message = _("no subject {code} is registered: its registration record must be ingested first")


class TooLongError(RowError):
    code = "value-too-long"
    message = _("{field} has {length} characters; at most {limit} are kept: check the column")


class DateError(RowError):
    code = "date-invalid"
    message = _("{value!r} is not a date; write 2024-03-05, 2024/3/5, 2024年3月5日 or 20240305")


class FutureDateError(RowError):
    code = "date-future"
    message = _("decision date {day} is after today ({today})")


class BeforeSubjectError(RowError):
    code = "date-before-subject"
    message = _("decision date {day} is before the subject existed ({since})")


class PayloadTypeError(RowError):
    code = "payload-type"
    message = _("{value!r} is not a valid {type}")


class PayloadEnumError(RowError):
    code = "payload-enum"
    message = _("{value!r} is not one of: {allowed}")


class PayloadUnknownFieldError(RowError):
    code = "payload-unknown-field"
    message = _("field {field} is not in catalog item {item}: only catalog fields can be recorded")


class SeverityError(RowError):
    code = "severity-invalid"
    message = _("severity {value!r} is not allowed for {item}; allowed: {allowed}")


class PolarityError(RowError):
    code = "polarity-mismatch"
    message = _("polarity {value!r} contradicts catalog item {item}, which is {expected}")


class DuplicateInFileError(RowError):
    code = "duplicate-document-in-file"
    message = _(
        "document number {number} appears again (first at row {first}) with different content"
    )


class RevokeUnknownError(RowError):
    code = "revoke-unknown-record"
    message = _("revocation of {number}, but no current record has this document number")


class MalformedLineError(RowError):
    code = "json-invalid"
    message = _("not a JSON object: {detail}")


class TextCharacterError(RowError):
    code = "text-character"
    message = _(
        "{field} holds the character {character}, which no text may contain "
        "(a NUL or half of a surrogate pair); remove it and send the row again"
    )


class RepresentativeCodeError(RowError):
    code = "representative-code"
    message = _("legal representative's ID {value!r} is invalid: {detail}")


class DepartmentScopeError(XinyongError):
    """A department key tried to report or read for another department."""

    code = "department-scope"
    status = 403
    message = _("this key reports for department {own} only, not for {department}")


class DepartmentRequiredError(XinyongError):
    """An operator key must say for which department it reports."""

    code = "department-required"
    status = 400
    message = _("say which department reports these records: give `department`")


class ItemsForbiddenError(XinyongError):
    """A call names catalog items its department may not report: the whole call is refused."""

    code = "item-forbidden"
    status = 403
    message = _(
        "department {department} may not report {items}: each catalog item names the "
        "departments allowed to report it (GET /api/v1/catalog)"
    )


class BatchNotFoundError(XinyongError):
    code = "batch-not-found"
    status = 404
    message = _("there is no batch {batch}")


class BatchScopeError(XinyongError):
    """A department key asked for another department's batch."""

    code = "batch-scope"
    status = 403
    message = _(
        "batch {batch} was reported by another department; a department key reads only its own batches"
    )
