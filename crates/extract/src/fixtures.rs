//! Small, real documents built in code: for tests of every layer and for the demo
//! store, so no binary sample files need to be kept in the repository.

use std::io::Write;

/// A .docx as Word writes it (the parts that matter for text): a zip holding
/// word/document.xml, deflated.
pub fn docx_with(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&quick_xml::escape::escape(*p));
        body.push_str("</w:t></w:r></w:p>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    zip_with(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &xml),
    ])
}

/// A zip archive holding these text entries, deflated.
pub fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in entries {
            w.start_file(*name, opts).expect("zip entry");
            w.write_all(text.as_bytes()).expect("zip write");
        }
        w.finish().expect("zip finish");
    }
    out.into_inner()
}

/// A one-page PDF showing `line` in Helvetica, with a correct cross-reference table.
pub fn pdf_with(line: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", pdf_string(line));
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        stream("", content.as_bytes()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ])
}

/// A one-page PDF whose text is about `len` bytes of `x`, shown in strings of 1 MB:
/// for the cap on text.
pub fn pdf_with_text_of(len: usize) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 720 Td ");
    let mut left = len;
    while left > 0 {
        let n = left.min(1024 * 1024);
        content.push('(');
        content.push_str(&"x".repeat(n));
        content.push_str(") Tj ");
        left -= n;
    }
    content.push_str("ET");
    let mut objects = one_page("<< /Font << /F1 5 0 R >> >>", content.as_bytes());
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    );
    pdf_of(&objects)
}

/// The body of a PDF string literal: backslashes and parentheses escaped.
fn pdf_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A stream object's body with `extra` dictionary entries. The bytes must be text
/// (content streams are); binary streams are written by [`pdf_of_bytes`].
fn stream(extra: &str, data: &[u8]) -> String {
    format!(
        "<< /Length {} {extra}>>\nstream\n{}\nendstream",
        data.len(),
        String::from_utf8_lossy(data)
    )
}

/// A PDF whose objects are `objects` (object 1 is the catalog), with a correct
/// cross-reference table.
pub fn pdf_of(objects: &[String]) -> Vec<u8> {
    let bodies: Vec<Vec<u8>> = objects.iter().map(|o| o.as_bytes().to_vec()).collect();
    pdf_of_bytes(&bodies)
}

/// [`pdf_of`] for object bodies that may hold binary stream data.
pub fn pdf_of_bytes(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// The catalog and page tree of a one-page document whose page (object 3) has
/// these contents (object 4) and resources.
fn one_page(resources: &str, content: &[u8]) -> Vec<String> {
    vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources {resources} >>"
        ),
        stream("", content),
    ]
}

// Hostile documents: what a careless or malicious sender could hand a firm. The
// reader must fail each one cleanly, in bounded time and memory, and never echo
// its contents.

/// A page that draws a form XObject which draws itself: `Do` without end.
pub fn pdf_self_drawing_form() -> Vec<u8> {
    let mut objects = one_page(
        "<< /XObject << /X0 5 0 R >> /Font << /F1 6 0 R >> >>",
        b"/X0 Do",
    );
    objects.push(stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
         /Resources << /XObject << /X0 5 0 R >> /Font << /F1 6 0 R >> >> ",
        b"BT /F1 12 Tf 72 720 Td (again) Tj ET /X0 Do",
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    );
    pdf_of(&objects)
}

/// Two form XObjects that draw each other.
pub fn pdf_mutually_drawing_forms() -> Vec<u8> {
    let mut objects = one_page("<< /XObject << /A 5 0 R >> >>", b"/A Do");
    for (name, id) in [("B", 6), ("A", 5)] {
        objects.push(stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
                 /Resources << /XObject << /{name} {id} 0 R >> >> "
            ),
            format!("/{name} Do").as_bytes(),
        ));
    }
    pdf_of(&objects)
}

/// An array nested `depth` levels deep, in the catalog and in the page's content
/// stream (`[[[…]]] TJ`).
pub fn pdf_nested_arrays(depth: usize) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let content = format!("BT {nested} TJ ET");
    let mut objects = one_page("<< >>", content.as_bytes());
    objects[0] = format!("<< /Type /Catalog /Pages 2 0 R /Deep {nested} >>");
    pdf_of(&objects)
}

/// Dictionaries nested `depth` levels deep, in the page's resources.
pub fn pdf_nested_dictionaries(depth: usize) -> Vec<u8> {
    let nested = format!("{}0 {}", "<< /A ".repeat(depth), ">> ".repeat(depth));
    pdf_of(&one_page(&nested, b"BT ET"))
}

/// A content stream that declares a length of `declared` bytes (say 200 MB) but
/// holds a few.
pub fn pdf_declared_huge_stream(declared: u64) -> Vec<u8> {
    let mut objects = one_page("<< >>", b"");
    objects[3] = format!("<< /Length {declared} >>\nstream\nBT ET\nendstream");
    pdf_of(&objects)
}

/// A content stream of `inflated` bytes of spaces, deflated (about a thousandth of
/// the size): a small file that asks the reader for `inflated` bytes of memory.
pub fn pdf_flate_bomb(inflated: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1024 * 1024];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).expect("deflate");
        left -= n;
    }
    let data = z.finish().expect("deflate");
    let mut objects: Vec<Vec<u8>> = one_page("<< >>", b"")
        .into_iter()
        .map(String::into_bytes)
        .collect();
    let mut body = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        data.len()
    )
    .into_bytes();
    body.extend_from_slice(&data);
    body.extend_from_slice(b"\nendstream");
    objects[3] = body;
    pdf_of_bytes(&objects)
}

/// A page whose font names an encoding that does not exist: `name`. pdf-extract
/// panics on it, quoting the name in its panic message, so a test can check that
/// the message goes nowhere.
pub fn pdf_with_unknown_encoding(name: &str, line: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", pdf_string(line));
    let mut objects = one_page("<< /Font << /F1 5 0 R >> >>", content.as_bytes());
    objects.push(format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /{name} >>"
    ));
    pdf_of(&objects)
}

/// A page whose font's encoding differences hold a string instead of names:
/// pdf-extract panics on it, quoting the string (`text`) in its panic message.
pub fn pdf_with_string_in_differences(text: &str) -> Vec<u8> {
    let mut objects = one_page(
        "<< /Font << /F1 5 0 R >> >>",
        b"BT /F1 12 Tf 72 720 Td (x) Tj ET",
    );
    objects.push(format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
         /Encoding << /Type /Encoding /Differences [32 ({})] >> >>",
        pdf_string(text)
    ));
    pdf_of(&objects)
}

/// `len` bytes of reproducible noise after a PDF header.
pub fn pdf_garbage(len: usize, seed: u64) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    // xorshift64*: no dependency, and the same bytes on every run.
    let mut x = seed | 1;
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len.max(9));
    out
}
