"""The .docx package around a rendered body: fixed parts built once, written atomically."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from models.letters import slug

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# Times New Roman in all four font slots and Vietnamese as the language, so Word never
# substitutes an East-Asian font for à, á, ê … (see shared/platform-notes.md). No theme part.
_FONTS = (
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:eastAsia="Times New Roman" w:cs="Times New Roman"/>'
)
_LANG = '<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>'

_STATIC = {
    "[Content_Types].xml": _HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WML}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WML}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_WML}.settings+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{_WML}.header+xml"/>'
    f'<Override PartName="/word/header2.xml" ContentType="{_WML}.header+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>",
    "_rels/.rels": _HEAD + f'<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>",
    "word/styles.xml": _HEAD + f'<w:styles xmlns:w="{_W}">'
    f"<w:docDefaults><w:rPrDefault><w:rPr>{_FONTS}"
    f'<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>{_LANG}</w:rPr>'
    '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    f'<w:qFormat/><w:rPr>{_FONTS}<w:color w:val="000000"/><w:sz w:val="28"/>'
    f'<w:szCs w:val="28"/>{_LANG}</w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>",
    "word/settings.xml": _HEAD + f'<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:themeFontLang w:val="vi-VN" w:eastAsia="vi-VN"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>',
    # Page numbers: centred in the top margin from page 2 on; page 1 has an empty header.
    "word/header1.xml": _HEAD + f'<w:hdr xmlns:w="{_W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
    '<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText>'
    '</w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r>'
    '<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>',
    "word/header2.xml": _HEAD + f'<w:hdr xmlns:w="{_W}"><w:p/></w:hdr>',
    "docProps/app.xml": _HEAD
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>chidao</Application></Properties>",
}
_STATIC_BYTES = {name: text.encode("utf-8") for name, text in _STATIC.items()}

_DOCUMENT_RELS = (
    f'<Relationship Id="rId1" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOC_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_DOC_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rId4" Type="{_DOC_REL}/header" Target="header2.xml"/>'
)
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def figure_ref(number: int) -> str:
    """The relationship id of the NUMBER-th figure (from 1), as layout refers to it."""
    return f"rIdFig{number}"


# A fixed timestamp inside the zip: the same directive always gives the same bytes (sha256).
_EPOCH = (1980, 1, 1, 0, 0, 0)


def docx_bytes(body: str, title: str, created: dt.date, figures: Sequence[bytes] = ()) -> bytes:
    """The .docx bytes; FIGURES are PNG images the body refers to by figure_ref(1, 2, …)."""
    document = (
        f'{_HEAD}<w:document xmlns:w="{_W}" xmlns:r="{_R}" xmlns:wp="{_WP}"><w:body>{body}'
        "</w:body></w:document>"
    )
    media = {f"word/media/bieu-do-{n}.png": png for n, png in enumerate(figures, start=1)}
    rels = _DOCUMENT_RELS + "".join(
        f'<Relationship Id="{figure_ref(n)}" Type="{_DOC_REL}/image" '
        f'Target="media/bieu-do-{n}.png"/>'
        for n in range(1, len(figures) + 1)
    )
    document_rels = f'{_HEAD}<Relationships xmlns="{_PKG_RELS}">{rels}</Relationships>'
    core = (
        f"{_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>chidao</dc:creator>"
        f'<dc:language>vi-VN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">'
        f"{created.isoformat()}T00:00:00Z</dcterms:created></cp:coreProperties>"
    )
    parts = {
        **_STATIC_BYTES,
        "word/_rels/document.xml.rels": document_rels.encode(),
        "word/document.xml": document.encode(),
        "docProps/core.xml": core.encode(),
        **media,
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED, 1)
    return buffer.getvalue()


def safe_filename(text: str, suffix: str = ".docx") -> str:
    """'2268/UBND-TTHC' -> '2268-UBND-TTHC.docx': ASCII, no separators, no leading dot. For a
    file a user names with `chidao render`; kept letters get unique paths (models.letters)."""
    return (slug(text.replace(".", "-"), 120) or "van-ban") + suffix
