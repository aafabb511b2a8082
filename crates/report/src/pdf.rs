//! The laid-out pages as PDF objects: a catalog, a page tree, the two standard fonts
//! (with their widths, so every viewer advances glyphs exactly as the layout measured
//! them), and one content stream per page.

use pdf_writer::types::FontFlags;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::DisclosureReport;
use crate::font::{FIRST_CODE, Face, LAST_CODE};
use crate::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::words;

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);
/// Per face: the font and its descriptor.
const FONTS: [(Ref, Ref); 2] = [(Ref::new(4), Ref::new(5)), (Ref::new(6), Ref::new(7))];
/// Pages take two ids each from here: the page and its content stream.
const FIRST_PAGE: i32 = 8;

fn resource_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => Name(b"F1"),
        Face::Bold => Name(b"F2"),
    }
}

pub(crate) fn write(report: &DisclosureReport, pages: &[Page]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let page = FIRST_PAGE + 2 * i as i32;
            (Ref::new(page), Ref::new(page + 1))
        })
        .collect();

    pdf.catalog(CATALOG).pages(PAGE_TREE);
    pdf.pages(PAGE_TREE)
        .kids(page_ids.iter().map(|&(page, _)| page))
        .count(page_ids.len() as i32);

    let title = format!("{} \u{2014} {}", words::TITLE, report.matter_number);
    let mut info = pdf.document_info(INFO);
    info.title(TextStr(&title));
    info.creator(TextStr("Mandate"));
    info.finish();

    for (face, (font_id, descriptor_id)) in Face::ALL.into_iter().zip(FONTS) {
        let metrics = face.metrics();
        let name = Name(face.base_font());
        pdf.type1_font(font_id)
            .base_font(name)
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .first_char(FIRST_CODE)
            .last_char(LAST_CODE)
            .widths((FIRST_CODE..=LAST_CODE).map(|code| f32::from(metrics.advance(code))))
            .font_descriptor(descriptor_id);
        let [x0, y0, x1, y1] = metrics.bbox;
        pdf.font_descriptor(descriptor_id)
            .name(name)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(metrics.italic_angle)
            .ascent(metrics.ascent)
            .descent(metrics.descent)
            .cap_height(metrics.cap_height)
            .stem_v(metrics.stem_v);
    }

    for (page, &(page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut writer = pdf.page(page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(PAGE_TREE)
            .contents(content_id);
        let mut resources = writer.resources();
        let mut fonts = resources.fonts();
        for (face, (font_id, _)) in Face::ALL.into_iter().zip(FONTS) {
            fonts.pair(resource_name(face), font_id);
        }
        fonts.finish();
        resources.finish();
        writer.finish();

        let content = content(page);
        pdf.stream(content_id, &content);
    }

    pdf.finish()
}

fn content(page: &Page) -> Vec<u8> {
    let mut content = Content::new();
    if !page.rules.is_empty() {
        content.set_stroke_gray(0.55).set_line_width(0.5);
        for rule in &page.rules {
            content.move_to(rule.x0, rule.y).line_to(rule.x1, rule.y);
        }
        content.stroke();
    }
    content.set_fill_gray(0.0).begin_text();
    let mut current: Option<(Face, f32)> = None;
    for text in &page.texts {
        if current != Some((text.face, text.size)) {
            content.set_font(resource_name(text.face), text.size);
            current = Some((text.face, text.size));
        }
        content
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, text.x, text.y])
            .show(Str(&text.bytes));
    }
    content.end_text();
    content.finish().into_vec()
}
