//! Where everything goes: the report as rows of text (a label column and a value
//! column, like a table), grouped into blocks that are kept on one page where they
//! fit, then cut into pages with a footer on each.
//!
//! Page breaks: a send (an entry) moves whole to the next page unless it is longer
//! than a page, and then it breaks between lines. A provider's heading travels with its
//! first send, and a page that starts inside a provider's sends (or the consents)
//! repeats the name with "(continued)", so a printed page read alone still says whose
//! sends it lists.

use crate::font::{self, Face};
use crate::wrap::wrap;
use crate::{DisclosureReport, Entry, ProviderSection, words};

/// US Letter, in points.
pub(crate) const PAGE_WIDTH: f32 = 612.0;
pub(crate) const PAGE_HEIGHT: f32 = 792.0;

const MARGIN: f32 = 54.0;
const LEFT: f32 = MARGIN;
const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// The label column, and where the value column starts (both from the left margin).
const LABEL_WIDTH: f32 = 96.0;
const VALUE_X: f32 = 104.0;
const VALUE_WIDTH: f32 = WIDTH - VALUE_X;
/// How far a bulleted line's text sits from its bullet.
const BULLET_INDENT: f32 = 10.0;

const TITLE_SIZE: f32 = 20.0;
const FIRM_SIZE: f32 = 12.0;
const HEADING_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 10.0;
const LABEL_SIZE: f32 = 9.0;
const SMALL_SIZE: f32 = 8.0;

const FOOTER_SIZE: f32 = 8.0;
const FOOTER_BASELINE: f32 = 36.0;
/// A footer taking more lines than this gets the matter number shortened (it is in
/// full in the heading of the first page); see [`footer_plan`].
const FOOTER_MAX_LINES: usize = 2;
const FOOTER_MATTER_CHARS: usize = 32;

/// A line of text placed on a page: `x`, `y` of its baseline, in points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Text {
    pub x: f32,
    pub y: f32,
    pub face: Face,
    pub size: f32,
    /// WinAnsi bytes.
    pub bytes: Vec<u8>,
}

/// A thin horizontal line between sends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Page {
    pub texts: Vec<Text>,
    pub rules: Vec<Rule>,
}

/// Text in a row, `x` from the left margin.
#[derive(Debug, Clone)]
struct Cell {
    x: f32,
    face: Face,
    size: f32,
    bytes: Vec<u8>,
}

/// One line of a column: usually one cell, two for a bullet and its text.
type Line = Vec<Cell>;

/// One line across the page; its cells share a baseline.
#[derive(Debug, Clone)]
struct Row {
    height: f32,
    cells: Vec<Cell>,
    rule: bool,
}

impl Row {
    fn of(cells: Vec<Cell>) -> Row {
        let size = cells.iter().map(|c| c.size).fold(0.0, f32::max);
        Row {
            height: line_height(size),
            cells,
            rule: false,
        }
    }

    fn space(height: f32) -> Row {
        Row {
            height,
            cells: Vec::new(),
            rule: false,
        }
    }

    fn rule() -> Row {
        Row {
            height: 12.0,
            cells: Vec::new(),
            rule: true,
        }
    }

    fn is_blank(&self) -> bool {
        self.cells.is_empty() && !self.rule
    }

    fn size(&self) -> f32 {
        self.cells.iter().map(|c| c.size).fold(0.0, f32::max)
    }
}

fn line_height(size: f32) -> f32 {
    size * 1.3
}

/// Rows kept on one page where they fit; `section` names the heading a page repeats
/// when it starts inside this block's part of the report, and `opens` says the block
/// carries that heading itself (moved whole to a new page, it needs no repeat).
struct Block {
    rows: Vec<Row>,
    keep_together: bool,
    section: Option<usize>,
    opens: bool,
}

/// The report laid out on pages, footers included.
pub(crate) fn lay_out(report: &DisclosureReport) -> Vec<Page> {
    let (footer_matter, footer_lines) = footer_plan(&report.matter_number);
    let bottom =
        FOOTER_BASELINE + (footer_lines - 1) as f32 * line_height(FOOTER_SIZE) + FOOTER_SIZE + 18.0;
    let (blocks, continuations) = blocks(report);
    let mut pages = paginate(&blocks, &continuations, bottom);
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let lines = wrap(
            &words::footer(&footer_matter, i + 1, count),
            Face::Regular,
            FOOTER_SIZE,
            WIDTH,
        );
        let last = lines.len().saturating_sub(1);
        for (k, bytes) in lines.into_iter().enumerate() {
            let width = font::width(Face::Regular, &bytes, FOOTER_SIZE);
            page.texts.push(Text {
                x: LEFT + ((WIDTH - width) / 2.0).max(0.0),
                y: FOOTER_BASELINE + (last - k) as f32 * line_height(FOOTER_SIZE),
                face: Face::Regular,
                size: FOOTER_SIZE,
                bytes,
            });
        }
    }
    pages
}

/// The matter number as the footer prints it, and how many lines the footer takes at
/// most. Measured with six-digit page numbers: a real footer (fewer or equal digits,
/// all digits being equally wide in Helvetica) never takes more lines than reserved.
fn footer_plan(matter_number: &str) -> (String, usize) {
    let lines = |matter: &str| {
        wrap(
            &words::footer(matter, 999_999, 999_999),
            Face::Regular,
            FOOTER_SIZE,
            WIDTH,
        )
        .len()
    };
    let full = lines(matter_number);
    if full <= FOOTER_MAX_LINES {
        return (matter_number.to_owned(), full);
    }
    let mut short: String = matter_number.chars().take(FOOTER_MATTER_CHARS).collect();
    short.push('\u{2026}');
    let n = lines(&short);
    (short, n)
}

struct Paginator<'a> {
    pages: Vec<Page>,
    y: f32,
    /// Nothing but a repeated heading is on the page yet.
    fresh: bool,
    bottom: f32,
    continuations: &'a [Vec<Row>],
}

impl Paginator<'_> {
    fn new_page(&mut self, section: Option<usize>) {
        self.pages.push(Page::default());
        self.y = TOP;
        self.fresh = true;
        let heading = section.and_then(|s| self.continuations.get(s));
        if let Some(rows) = heading {
            // A heading too long to repeat sensibly (a name of thousands of letters)
            // is left out rather than crowding the page.
            let height: f32 = rows.iter().map(|r| r.height).sum();
            if height <= (TOP - self.bottom) / 4.0 {
                for row in rows {
                    self.place(row);
                }
            }
        }
    }

    fn place(&mut self, row: &Row) {
        let page = self.pages.last_mut().expect("a page is always open");
        let baseline = self.y - row.size();
        for cell in &row.cells {
            page.texts.push(Text {
                x: LEFT + cell.x,
                y: baseline,
                face: cell.face,
                size: cell.size,
                bytes: cell.bytes.clone(),
            });
        }
        if row.rule {
            page.rules.push(Rule {
                x0: LEFT,
                x1: LEFT + WIDTH,
                y: self.y - row.height / 2.0,
            });
        }
        self.y -= row.height;
    }
}

fn paginate(blocks: &[Block], continuations: &[Vec<Row>], bottom: f32) -> Vec<Page> {
    let mut p = Paginator {
        pages: vec![Page::default()],
        y: TOP,
        fresh: true,
        bottom,
        continuations,
    };
    let body = TOP - bottom;
    for block in blocks {
        let height: f32 = block.rows.iter().map(|r| r.height).sum();
        if block.keep_together && !p.fresh && p.y - height < bottom && height <= body {
            p.new_page(if block.opens { None } else { block.section });
        }
        for row in &block.rows {
            if p.fresh && row.is_blank() {
                continue;
            }
            // A fresh page takes the row whatever its height, so every row is placed.
            if !p.fresh && p.y - row.height < bottom {
                p.new_page(block.section);
            }
            p.place(row);
            p.fresh = false;
        }
    }
    p.pages
}

/// The report as blocks, and the headings repeated on a page that starts inside a
/// section (indexed by `Block::section`).
fn blocks(report: &DisclosureReport) -> (Vec<Block>, Vec<Vec<Row>>) {
    let mut blocks = vec![Block {
        rows: heading(report),
        keep_together: false,
        section: None,
        opens: false,
    }];
    let mut continuations = Vec::new();

    for provider in &report.providers {
        continuations.push(continuation(&provider.name));
        provider_blocks(provider, continuations.len() - 1, &mut blocks);
    }

    continuations.push(continuation("Consents on file"));
    let section = Some(continuations.len() - 1);
    let first = blocks.len();
    let mut rows = vec![Row::space(14.0)];
    rows.extend(text_rows(
        "Consents on file",
        Face::Bold,
        HEADING_SIZE,
        0.0,
        WIDTH,
    ));
    rows.push(Row::space(4.0));
    if report.consents.is_empty() {
        rows.extend(text_rows(
            words::NO_CONSENT,
            Face::Regular,
            BODY_SIZE,
            0.0,
            WIDTH,
        ));
    }
    for consent in &report.consents {
        rows.extend(
            bullet(consent, Face::Regular, BODY_SIZE, 0.0, WIDTH)
                .into_iter()
                .map(Row::of),
        );
        rows.push(Row::space(3.0));
        let opens = blocks.len() == first;
        blocks.push(Block {
            rows: std::mem::take(&mut rows),
            keep_together: true,
            section,
            opens,
        });
    }
    if !rows.is_empty() {
        blocks.push(Block {
            rows,
            keep_together: true,
            section,
            opens: true,
        });
    }
    (blocks, continuations)
}

fn heading(report: &DisclosureReport) -> Vec<Row> {
    let mut rows = text_rows(words::TITLE, Face::Bold, TITLE_SIZE, 0.0, WIDTH);
    rows.push(Row::space(4.0));
    rows.extend(text_rows(&report.firm, Face::Bold, FIRM_SIZE, 0.0, WIDTH));
    rows.push(Row::space(4.0));
    let matter = if report.matter_title.trim().is_empty() {
        report.matter_number.clone()
    } else {
        format!("{} \u{2014} {}", report.matter_number, report.matter_title)
    };
    rows.extend(field("Matter", value(&matter, Face::Regular, BODY_SIZE)));
    rows.extend(field(
        "Client",
        value(&report.client, Face::Regular, BODY_SIZE),
    ));
    rows.extend(text_rows(
        &words::prepared(&report.prepared_on, &report.prepared_by),
        Face::Regular,
        BODY_SIZE,
        0.0,
        WIDTH,
    ));
    rows.push(Row::space(10.0));
    rows.extend(text_rows(
        &words::introduction(&report.firm),
        Face::Regular,
        BODY_SIZE,
        0.0,
        WIDTH,
    ));
    rows.push(Row::space(8.0));
    rows.extend(text_rows(
        &words::summary(report),
        Face::Bold,
        BODY_SIZE,
        0.0,
        WIDTH,
    ));
    rows.push(Row::space(4.0));
    rows.push(Row::rule());
    rows
}

fn continuation(name: &str) -> Vec<Row> {
    let mut rows = text_rows(&words::continued(name), Face::Bold, BODY_SIZE, 0.0, WIDTH);
    rows.push(Row::space(4.0));
    rows
}

fn provider_blocks(provider: &ProviderSection, section: usize, blocks: &mut Vec<Block>) {
    let mut rows = vec![Row::space(14.0)];
    rows.extend(text_rows(
        &provider.name,
        Face::Bold,
        HEADING_SIZE,
        0.0,
        WIDTH,
    ));
    rows.extend(text_rows(
        &words::countries(&provider.countries),
        Face::Regular,
        LABEL_SIZE,
        0.0,
        WIDTH,
    ));
    rows.push(Row::space(6.0));
    if provider.entries.is_empty() {
        rows.extend(text_rows(
            "No sends to this provider are recorded.",
            Face::Regular,
            BODY_SIZE,
            0.0,
            WIDTH,
        ));
    }
    // Date order; `sort_by` is stable, so sends at the same time keep the caller's order.
    let mut entries: Vec<&Entry> = provider.entries.iter().collect();
    entries.sort_by(|a, b| a.at.cmp(&b.at));
    for (i, entry) in entries.into_iter().enumerate() {
        rows.extend(entry_rows(entry));
        blocks.push(Block {
            rows: std::mem::take(&mut rows),
            keep_together: true,
            section: Some(section),
            opens: i == 0,
        });
    }
    if !rows.is_empty() {
        blocks.push(Block {
            rows,
            keep_together: true,
            section: Some(section),
            opens: true,
        });
    }
}

fn entry_rows(entry: &Entry) -> Vec<Row> {
    let mut rows = field("When", value(&entry.at, Face::Bold, BODY_SIZE));

    let mut items: Vec<Line> = entry
        .items
        .iter()
        .flat_map(|item| value(item, Face::Regular, BODY_SIZE))
        .collect();
    if items.is_empty() {
        items = value(words::NOT_RECORDED, Face::Regular, BODY_SIZE);
    }
    rows.extend(field("Items", items));

    let mut decision = value(&words::decision(&entry.decision), Face::Regular, BODY_SIZE);
    let (lead_in, details) = words::decision_details(&entry.decision);
    if let Some(lead_in) = lead_in {
        decision.extend(value(lead_in, Face::Regular, BODY_SIZE));
    }
    for detail in details {
        decision.extend(bullet(
            detail,
            Face::Regular,
            BODY_SIZE,
            VALUE_X,
            VALUE_WIDTH,
        ));
    }
    rows.extend(field("Decision", decision));

    let consent = entry.consent.as_deref().unwrap_or(words::NOT_RECORDED);
    rows.extend(field("Consent", value(consent, Face::Regular, BODY_SIZE)));
    let person = if entry.approved_by.trim().is_empty() {
        words::NOT_RECORDED
    } else {
        &entry.approved_by
    };
    rows.extend(field(
        words::person_label(&entry.decision),
        value(person, Face::Regular, BODY_SIZE),
    ));

    let mut keys: Vec<Line> = entry
        .recipients
        .iter()
        .flat_map(|key| value(key, Face::Regular, SMALL_SIZE))
        .collect();
    if keys.is_empty() {
        keys = value(words::NOT_RECORDED, Face::Regular, BODY_SIZE);
    }
    rows.extend(field("Recipients' keys", keys));
    rows.push(Row::rule());
    rows
}

/// `text` wrapped into lines at `x`, `width` wide.
fn lines(text: &str, face: Face, size: f32, x: f32, width: f32) -> Vec<Line> {
    wrap(text, face, size, width)
        .into_iter()
        .map(|bytes| {
            vec![Cell {
                x,
                face,
                size,
                bytes,
            }]
        })
        .collect()
}

/// Lines in the value column.
fn value(text: &str, face: Face, size: f32) -> Vec<Line> {
    lines(text, face, size, VALUE_X, VALUE_WIDTH)
}

/// Full rows of wrapped text.
fn text_rows(text: &str, face: Face, size: f32, x: f32, width: f32) -> Vec<Row> {
    lines(text, face, size, x, width)
        .into_iter()
        .map(Row::of)
        .collect()
}

/// A bulleted paragraph: the bullet at `x`, the text hanging after it.
fn bullet(text: &str, face: Face, size: f32, x: f32, width: f32) -> Vec<Line> {
    let mut out = lines(text, face, size, x + BULLET_INDENT, width - BULLET_INDENT);
    if let Some(first) = out.first_mut() {
        first.insert(
            0,
            Cell {
                x,
                face,
                size,
                bytes: font::encode("\u{2022}"),
            },
        );
    }
    out
}

/// A label beside its value: row by row, the label's lines next to the value's.
fn field(label: &str, value: Vec<Line>) -> Vec<Row> {
    let label = lines(label, Face::Bold, LABEL_SIZE, 0.0, LABEL_WIDTH);
    let count = label.len().max(value.len());
    let mut label = label.into_iter();
    let mut value = value.into_iter();
    (0..count)
        .map(|_| {
            let mut cells = label.next().unwrap_or_default();
            cells.extend(value.next().unwrap_or_default());
            Row::of(cells)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decision;

    fn entry(at: &str, item: &str) -> Entry {
        Entry {
            at: at.into(),
            items: vec![item.into()],
            decision: Decision::Sent,
            consent: Some("signed 2026-11-02".into()),
            approved_by: "Ann Lee".into(),
            recipients: vec!["12345 67890".into()],
        }
    }

    fn report(entries: Vec<Entry>) -> DisclosureReport {
        DisclosureReport {
            matter_number: "2026-0142".into(),
            providers: vec![ProviderSection {
                name: "Acme Review LLP".into(),
                countries: vec!["US".into()],
                entries,
            }],
            ..Default::default()
        }
    }

    fn page_text(page: &Page) -> Vec<String> {
        page.texts
            .iter()
            .map(|t| String::from_utf8_lossy(&t.bytes).into_owned())
            .collect()
    }

    #[test]
    fn everything_stays_inside_the_page_and_above_the_footer() {
        let entries = (0..200)
            .map(|i| {
                entry(
                    &format!("2026-11-{:02} 10:00", i % 28 + 1),
                    &format!("Doc {i}"),
                )
            })
            .collect();
        let pages = lay_out(&report(entries));
        assert!(pages.len() > 5);
        for page in &pages {
            for t in &page.texts {
                let w = font::width(t.face, &t.bytes, t.size);
                assert!(
                    t.x >= LEFT - 0.01 && t.x + w <= LEFT + WIDTH + 0.01,
                    "{t:?}"
                );
                assert!(t.y <= TOP && t.y >= FOOTER_BASELINE - 0.01, "{t:?}");
                let is_footer = t.y < FOOTER_BASELINE + 20.0;
                assert!(
                    is_footer || t.y > FOOTER_BASELINE + 24.0,
                    "{t:?} near the footer"
                );
            }
        }
    }

    #[test]
    fn entries_are_in_date_order_and_a_new_page_repeats_the_provider() {
        let entries = (0..60)
            .rev()
            .map(|i| {
                entry(
                    &format!("2026-11-03 {:02}:{:02}", i / 60, i % 60),
                    &format!("Doc {i:02}"),
                )
            })
            .collect();
        let pages = lay_out(&report(entries));
        let all: Vec<String> = pages.iter().flat_map(page_text).collect();
        let docs: Vec<&String> = all.iter().filter(|t| t.starts_with("Doc ")).collect();
        let mut sorted = docs.clone();
        sorted.sort();
        assert_eq!(docs, sorted);
        assert_eq!(docs.len(), 60);
        assert!(pages.len() > 2);
        for page in pages[1..]
            .iter()
            .filter(|p| page_text(p).iter().any(|t| t.starts_with("Doc ")))
        {
            assert_eq!(page_text(page)[0], "Acme Review LLP (continued)");
        }
    }

    #[test]
    fn a_send_is_not_split_across_pages_when_it_fits_on_one() {
        let entries = (0..40)
            .map(|i| entry(&format!("2026-11-03 10:{i:02}"), &format!("Doc {i:02}")))
            .collect();
        for page in lay_out(&report(entries)) {
            let text = page_text(&page);
            let whens = text.iter().filter(|t| *t == "When").count();
            let keys = text.iter().filter(|t| *t == "Recipients' keys").count();
            assert_eq!(whens, keys, "a send was split: {text:?}");
        }
    }

    #[test]
    fn a_very_long_matter_number_is_shortened_in_the_footer_only() {
        let mut r = report(vec![]);
        r.matter_number = "M".repeat(500);
        let pages = lay_out(&r);
        let footer: Vec<&Text> = pages[0]
            .texts
            .iter()
            .filter(|t| t.size == FOOTER_SIZE)
            .collect();
        assert!(footer.len() <= FOOTER_MAX_LINES);
        let heading: String = page_text(&pages[0]).concat();
        assert!(heading.contains(&"M".repeat(500)));
    }
}
