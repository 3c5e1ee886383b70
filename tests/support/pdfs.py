"""PDFs for tests: hybrid invoices written byte by byte, and Factur-X files given active content."""

from io import BytesIO

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def pdf_with_attachments(files: dict[str, bytes], *, flate_encoded: bool = False, catalog_extra: bytes = b"") -> bytes:
    """A one-page PDF embedding `files`; with `flate_encoded` their bytes are already deflated.

    Written by hand rather than with pypdf so that tests control every byte, hostile ones included;
    `catalog_extra` is written into the catalog dictionary as it is.
    """
    objects = [b"", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    name_tree = []
    for name, data in files.items():
        stream_number = len(objects) + 2
        filter_entry = b" /Filter /FlateDecode" if flate_encoded else b""
        objects.append(
            b"<< /Type /Filespec /F (%s) /UF (%s) /AFRelationship /Data /EF << /F %d 0 R >> >>"
            % (name.encode(), name.encode(), stream_number)
        )
        objects.append(
            b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length %d%s >>\nstream\n%s\nendstream"
            % (len(data), filter_entry, data)
        )
        name_tree.append(b"(%s) %d 0 R" % (name.encode(), stream_number - 1))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [%s] >> >> %s >>" % (
        b" ".join(name_tree),
        catalog_extra,
    )
    out = BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref_offset = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()


def _javascript(code: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def _launch(program: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(program)})


def with_active_content(pdf: bytes, kind: str) -> bytes:
    """`pdf` (kept whole, its invoice attachment included) given one kind of active content:
    open_action (JavaScript run on opening), names (document-level JavaScript), page_actions (`/AA`
    of a page), launch (a link that starts a program), outline (a bookmark that runs JavaScript),
    executable (an embedded `.exe`), disguised (a program embedded under a harmless name), and
    in_resources (a JavaScript action among what a page draws with, which no reader runs)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(pdf)))
    page = writer.pages[0]
    if kind == "open_action":
        writer.root_object[NameObject("/OpenAction")] = _javascript("app.alert('hello')")
    elif kind == "names":
        names = writer.root_object["/Names"]  # the invoice attachment's name tree is there already
        names[NameObject("/JavaScript")] = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("hello"), _javascript("app.alert(1)")])}
        )
    elif kind == "page_actions":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript("app.alert('page')")})
    elif kind == "launch":
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
                NameObject("/A"): _launch("cmd.exe"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([link])
    elif kind == "outline":
        writer.add_outline_item(title="Pay now", page_number=0)
        writer.root_object["/Outlines"]["/First"].get_object()[NameObject("/A")] = _javascript("app.alert(2)")
    elif kind == "in_resources":
        page["/Resources"][NameObject("/Hidden")] = _javascript("app.alert(3)")
    elif kind == "executable":
        writer.add_attachment("setup.exe", b"MZ\x90\x00 a program")
    elif kind == "disguised":
        writer.add_attachment("readme.txt", b"\x7fELF a program")
    else:
        raise ValueError(kind)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
