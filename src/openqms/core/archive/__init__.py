"""The lossless archive: every record, the audit chain, the signatures' content, every
stored file and readable PDFs in one ZIP (docs/archive-format.md), taken out with
`openqms archive export`, checked without a database with `openqms archive verify`, and
put back into an empty instance with `openqms archive import`."""
