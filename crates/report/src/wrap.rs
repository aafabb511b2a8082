//! Line breaking: text into lines no wider than a column, nothing ever cut off.
//!
//! Words go on a line while they fit. A word wider than the whole column (a file name
//! with no spaces, a pasted hash) is broken inside, after a `-`, `/`, `_`, `.`, `,` or
//! `\` where one falls in the second half of the line, else wherever the column ends.
//! Line breaks in the text start a new line; runs of spaces and tabs count as one.

use crate::font::{self, Face};

/// Where a long word may be broken by preference.
const SOFT_BREAKS: &[u8] = b"-/_.,\\";

/// `text` set in `face` at `size` points, as lines of WinAnsi bytes at most `max_width`
/// wide (a single character wider than the column still gets a line of its own).
/// Always at least one line, empty for empty text.
pub(crate) fn wrap(text: &str, face: Face, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text
        .replace("\r\n", "\n")
        .split(['\n', '\r', '\u{2028}', '\u{2029}'])
    {
        wrap_paragraph(paragraph, face, size, max_width, &mut lines);
    }
    lines
}

fn wrap_paragraph(text: &str, face: Face, size: f32, max: f32, lines: &mut Vec<Vec<u8>>) {
    let space = font::width(face, b" ", size);
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    // A no-break space joins the words on either side, as it should.
    let words = text
        .split(|c: char| c.is_whitespace() && c != '\u{A0}')
        .filter(|w| !w.is_empty());
    for word in words {
        let word = font::encode(word);
        let word_width = font::width(face, &word, size);
        if !line.is_empty() {
            if line_width + space + word_width <= max {
                line.push(b' ');
                line.extend_from_slice(&word);
                line_width += space + word_width;
                continue;
            }
            lines.push(std::mem::take(&mut line));
        }
        let mut rest: &[u8] = &word;
        let mut rest_width = word_width;
        while rest_width > max && rest.len() > 1 {
            let cut = cut_point(rest, face, size, max);
            lines.push(rest[..cut].to_vec());
            rest = &rest[cut..];
            rest_width = font::width(face, rest, size);
        }
        line = rest.to_vec();
        line_width = rest_width;
    }
    lines.push(line);
}

/// How many bytes of `word` (wider than `max`) go on this line: at least one.
fn cut_point(word: &[u8], face: Face, size: f32, max: f32) -> usize {
    let metrics = face.metrics();
    let mut width = 0.0;
    let mut fits = 0;
    for &b in word {
        width += f32::from(metrics.advance(b)) * size / 1000.0;
        if width > max {
            break;
        }
        fits += 1;
    }
    let fits = fits.max(1);
    match word[..fits].iter().rposition(|b| SOFT_BREAKS.contains(b)) {
        Some(at) if at + 1 >= fits / 2 && at + 1 < fits => at + 1,
        _ => fits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max: f32) -> Vec<String> {
        wrap(text, Face::Regular, 10.0, max)
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn words_fill_lines_and_every_line_fits() {
        let text = "the quick brown fox jumps over the lazy dog ".repeat(10);
        let out = wrap(&text, Face::Regular, 10.0, 120.0);
        assert!(out.len() > 3);
        for line in &out {
            assert!(font::width(Face::Regular, line, 10.0) <= 120.0);
        }
        let joined: Vec<u8> = out.join(&b' ');
        assert_eq!(joined, text.trim_end().as_bytes());
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken_and_nothing_is_lost() {
        let word = "x".repeat(300);
        let out = lines(&word, 100.0);
        assert!(out.len() > 5);
        assert_eq!(out.concat(), word);
    }

    #[test]
    fn a_long_path_breaks_after_a_slash_where_it_can() {
        let out = lines(
            "/home/ann/clients/acme/2026/very-long-folder-name/x.pdf",
            120.0,
        );
        assert!(out[0].ends_with('/') || out[0].ends_with('-'), "{out:?}");
        assert_eq!(
            out.concat(),
            "/home/ann/clients/acme/2026/very-long-folder-name/x.pdf"
        );
    }

    #[test]
    fn line_breaks_start_new_lines_and_empty_text_is_one_empty_line() {
        assert_eq!(lines("a\nb\r\nc\n\nd", 500.0), ["a", "b", "c", "", "d"]);
        assert_eq!(lines("", 500.0), [""]);
        assert_eq!(lines("  a \t b  ", 500.0), ["a b"]);
    }

    #[test]
    fn a_column_narrower_than_one_letter_still_makes_progress() {
        assert_eq!(lines("WW", 1.0), ["W", "W"]);
    }
}
