"""Small hostile files a member could upload to the network import, as bytes: the tests and
the benchmark (bench/bench_hostile_imports.py) submit the same ones."""

from __future__ import annotations

import io
import zipfile


def kumu_million_ties(names: int = 1000) -> bytes:
    """A ~10 KB Kumu Connections CSV whose From and To cells hold ``names`` names each
    (``names`` squared ties: a million by default)."""
    cell = "|".join(f"n{i}" for i in range(names))
    return f"From,To,Type\n{cell},{cell},partner\n".encode()


def xlsx_bomb(uncompressed_mb: int = 500) -> bytes:
    """A workbook zip whose sheet declares ``uncompressed_mb`` MB of repeated rows (a few
    hundred KB compressed)."""
    buffer = io.BytesIO()
    row = b"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Elements" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                        b'.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is>'
                        b'<t>Label</t></is></c></row>')
            chunk = row * 20_000
            for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def gexf_nodes(count: int = 200_000) -> bytes:
    """A GEXF of ``count`` nodes and no edges (7.9 MB for 200,000)."""
    nodes = "".join(f'<node id="{i}" label="N{i}"/>' for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8"?><gexf xmlns="http://gexf.net/1.3" '
            'version="1.3"><graph defaultedgetype="undirected"><nodes>' + nodes +
            "</nodes><edges/></graph></gexf>").encode()


def json_nested(depth: int = 100_000) -> bytes:
    """Node-link JSON nested ``depth`` levels deep inside a node's attribute."""
    return (b'{"nodes": [{"id": "a", "x": ' + b"[" * depth + b"]" * depth + b'}], "edges": []}')
