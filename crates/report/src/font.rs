//! The two faces the report is set in, Helvetica and Helvetica-Bold, as the PDF's
//! standard fonts: text is encoded in WinAnsiEncoding and measured with Adobe's own
//! metrics for those faces (the AFM files of `pdf-core-14-font-afms`).
//!
//! One table below, [`GLYPH_NAMES`], serves both jobs: the byte a character is written
//! as and the glyph whose width is measured for it come from the same row, so what the
//! viewer draws and what the line breaker measured cannot drift apart.
//!
//! Characters outside WinAnsiEncoding (Latin-1 plus a few typographic marks such as
//! the euro sign, dashes and curly quotes) cannot be drawn by these fonts: they are
//! written as `?`. Names and labels in Western European languages ("Müller GmbH",
//! "José Ñúñez", "Société Générale") come through intact; a name in Greek, Cyrillic
//! or CJK script shows as question marks, never as a panic or a broken file.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A face of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

impl Face {
    pub(crate) const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    /// The PostScript name of the standard font, as the PDF names it.
    pub(crate) fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }

    pub(crate) fn metrics(self) -> &'static Metrics {
        static FACES: OnceLock<[Metrics; 2]> = OnceLock::new();
        let faces = FACES.get_or_init(|| {
            [
                Metrics::from_afm(pdf_core_14_font_afms::HELVETICA),
                Metrics::from_afm(pdf_core_14_font_afms::HELVETICA_BOLD),
            ]
        });
        match self {
            Face::Regular => &faces[0],
            Face::Bold => &faces[1],
        }
    }
}

/// What is written for a character the fonts cannot draw.
pub(crate) const REPLACEMENT: u8 = b'?';

/// The first and last codes the fonts' `/Widths` arrays cover (space to ÿ).
pub(crate) const FIRST_CODE: u8 = 0x20;
pub(crate) const LAST_CODE: u8 = 0xFF;

/// The glyph WinAnsiEncoding puts at each code from 0x20 up (ISO 32000-1, Annex D.2);
/// `None` where the encoding leaves a code empty.
#[rustfmt::skip]
const GLYPH_NAMES: [Option<&str>; 224] = [
    // 0x20
    Some("space"), Some("exclam"), Some("quotedbl"), Some("numbersign"), Some("dollar"),
    Some("percent"), Some("ampersand"), Some("quotesingle"), Some("parenleft"),
    Some("parenright"), Some("asterisk"), Some("plus"), Some("comma"), Some("hyphen"),
    Some("period"), Some("slash"),
    // 0x30
    Some("zero"), Some("one"), Some("two"), Some("three"), Some("four"), Some("five"),
    Some("six"), Some("seven"), Some("eight"), Some("nine"), Some("colon"),
    Some("semicolon"), Some("less"), Some("equal"), Some("greater"), Some("question"),
    // 0x40
    Some("at"), Some("A"), Some("B"), Some("C"), Some("D"), Some("E"), Some("F"), Some("G"),
    Some("H"), Some("I"), Some("J"), Some("K"), Some("L"), Some("M"), Some("N"), Some("O"),
    // 0x50
    Some("P"), Some("Q"), Some("R"), Some("S"), Some("T"), Some("U"), Some("V"), Some("W"),
    Some("X"), Some("Y"), Some("Z"), Some("bracketleft"), Some("backslash"),
    Some("bracketright"), Some("asciicircum"), Some("underscore"),
    // 0x60
    Some("grave"), Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f"), Some("g"),
    Some("h"), Some("i"), Some("j"), Some("k"), Some("l"), Some("m"), Some("n"), Some("o"),
    // 0x70
    Some("p"), Some("q"), Some("r"), Some("s"), Some("t"), Some("u"), Some("v"), Some("w"),
    Some("x"), Some("y"), Some("z"), Some("braceleft"), Some("bar"), Some("braceright"),
    Some("asciitilde"), None,
    // 0x80
    Some("Euro"), None, Some("quotesinglbase"), Some("florin"), Some("quotedblbase"),
    Some("ellipsis"), Some("dagger"), Some("daggerdbl"), Some("circumflex"),
    Some("perthousand"), Some("Scaron"), Some("guilsinglleft"), Some("OE"), None,
    Some("Zcaron"), None,
    // 0x90
    None, Some("quoteleft"), Some("quoteright"), Some("quotedblleft"),
    Some("quotedblright"), Some("bullet"), Some("endash"), Some("emdash"), Some("tilde"),
    Some("trademark"), Some("scaron"), Some("guilsinglright"), Some("oe"), None,
    Some("zcaron"), Some("Ydieresis"),
    // 0xA0: no-break space and soft hyphen are drawn with the space and hyphen glyphs.
    Some("space"), Some("exclamdown"), Some("cent"), Some("sterling"), Some("currency"),
    Some("yen"), Some("brokenbar"), Some("section"), Some("dieresis"), Some("copyright"),
    Some("ordfeminine"), Some("guillemotleft"), Some("logicalnot"), Some("hyphen"),
    Some("registered"), Some("macron"),
    // 0xB0
    Some("degree"), Some("plusminus"), Some("twosuperior"), Some("threesuperior"),
    Some("acute"), Some("mu"), Some("paragraph"), Some("periodcentered"), Some("cedilla"),
    Some("onesuperior"), Some("ordmasculine"), Some("guillemotright"), Some("onequarter"),
    Some("onehalf"), Some("threequarters"), Some("questiondown"),
    // 0xC0
    Some("Agrave"), Some("Aacute"), Some("Acircumflex"), Some("Atilde"), Some("Adieresis"),
    Some("Aring"), Some("AE"), Some("Ccedilla"), Some("Egrave"), Some("Eacute"),
    Some("Ecircumflex"), Some("Edieresis"), Some("Igrave"), Some("Iacute"),
    Some("Icircumflex"), Some("Idieresis"),
    // 0xD0
    Some("Eth"), Some("Ntilde"), Some("Ograve"), Some("Oacute"), Some("Ocircumflex"),
    Some("Otilde"), Some("Odieresis"), Some("multiply"), Some("Oslash"), Some("Ugrave"),
    Some("Uacute"), Some("Ucircumflex"), Some("Udieresis"), Some("Yacute"), Some("Thorn"),
    Some("germandbls"),
    // 0xE0
    Some("agrave"), Some("aacute"), Some("acircumflex"), Some("atilde"), Some("adieresis"),
    Some("aring"), Some("ae"), Some("ccedilla"), Some("egrave"), Some("eacute"),
    Some("ecircumflex"), Some("edieresis"), Some("igrave"), Some("iacute"),
    Some("icircumflex"), Some("idieresis"),
    // 0xF0
    Some("eth"), Some("ntilde"), Some("ograve"), Some("oacute"), Some("ocircumflex"),
    Some("otilde"), Some("odieresis"), Some("divide"), Some("oslash"), Some("ugrave"),
    Some("uacute"), Some("ucircumflex"), Some("udieresis"), Some("yacute"), Some("thorn"),
    Some("ydieresis"),
];

/// The characters WinAnsiEncoding puts at 0x80–0x9F, where it departs from Latin-1.
const WIN_ANSI_EXTRAS: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('\u{2018}', 0x91),
    ('\u{2019}', 0x92),
    ('\u{201C}', 0x93),
    ('\u{201D}', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsi code of one character, or [`REPLACEMENT`] if the fonts cannot draw it.
/// Tabs and line breaks are not handled here: the line breaker splits on them first.
pub(crate) fn encode_char(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => c as u8,
        _ => WIN_ANSI_EXTRAS
            .iter()
            .find(|(extra, _)| *extra == c)
            .map_or(REPLACEMENT, |&(_, code)| code),
    }
}

/// Text as WinAnsi bytes, each character the fonts cannot draw written as `?`.
pub(crate) fn encode(text: &str) -> Vec<u8> {
    text.chars().map(encode_char).collect()
}

/// A face's metrics, read from its AFM file.
pub(crate) struct Metrics {
    /// Advance widths in 1/1000 em, by WinAnsi code.
    widths: [u16; 256],
    pub(crate) bbox: [f32; 4],
    pub(crate) italic_angle: f32,
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) cap_height: f32,
    pub(crate) stem_v: f32,
}

impl Metrics {
    /// Reads the parts of an AFM file (Adobe Font Metrics 4.1) the report needs: the
    /// header's heights and each glyph's `WX` advance by its name `N`.
    fn from_afm(afm: &str) -> Metrics {
        let mut by_name: HashMap<&str, u16> = HashMap::new();
        let mut metrics = Metrics {
            widths: [0; 256],
            bbox: [0.0; 4],
            italic_angle: 0.0,
            ascent: 0.0,
            descent: 0.0,
            cap_height: 0.0,
            stem_v: 0.0,
        };
        let number = |s: Option<&str>| s.and_then(|s| s.parse::<f32>().ok()).unwrap_or(0.0);
        for line in afm.lines() {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("C") => {
                    let (mut width, mut name) = (None, None);
                    for field in line.split(';') {
                        let mut parts = field.split_whitespace();
                        match parts.next() {
                            Some("WX") => width = parts.next().and_then(|w| w.parse().ok()),
                            Some("N") => name = parts.next(),
                            _ => {}
                        }
                    }
                    if let (Some(width), Some(name)) = (width, name) {
                        by_name.insert(name, width);
                    }
                }
                Some("FontBBox") => {
                    for slot in &mut metrics.bbox {
                        *slot = number(words.next());
                    }
                }
                Some("ItalicAngle") => metrics.italic_angle = number(words.next()),
                Some("Ascender") => metrics.ascent = number(words.next()),
                Some("Descender") => metrics.descent = number(words.next()),
                Some("CapHeight") => metrics.cap_height = number(words.next()),
                Some("StdVW") => metrics.stem_v = number(words.next()),
                _ => {}
            }
        }
        // Codes the encoding leaves empty are never written (encode never yields
        // them); they get the replacement's width so the /Widths array is complete.
        let fallback = by_name.get("question").copied().unwrap_or(556);
        for code in FIRST_CODE..=LAST_CODE {
            metrics.widths[usize::from(code)] = glyph_name(code)
                .and_then(|name| by_name.get(name).copied())
                .unwrap_or(fallback);
        }
        metrics
    }

    /// The advance width of one code, in 1/1000 em.
    pub(crate) fn advance(&self, code: u8) -> u16 {
        self.widths[usize::from(code)]
    }
}

fn glyph_name(code: u8) -> Option<&'static str> {
    code.checked_sub(FIRST_CODE)
        .and_then(|i| GLYPH_NAMES.get(usize::from(i)).copied().flatten())
}

/// The width of WinAnsi bytes set in `face` at `size` points.
pub(crate) fn width(face: Face, text: &[u8], size: f32) -> f32 {
    let metrics = face.metrics();
    let units: u32 = text.iter().map(|&b| u32::from(metrics.advance(b))).sum();
    units as f32 * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_of_win_ansi_has_adobe_metrics_in_both_faces() {
        for face in Face::ALL {
            let afm = match face {
                Face::Regular => pdf_core_14_font_afms::HELVETICA,
                Face::Bold => pdf_core_14_font_afms::HELVETICA_BOLD,
            };
            for name in GLYPH_NAMES.iter().flatten() {
                let needle = format!("; N {name} ;");
                assert!(afm.contains(&needle), "{face:?} has no metrics for {name}");
            }
        }
    }

    #[test]
    fn widths_are_adobes() {
        // Figures from Helvetica.afm and Helvetica-Bold.afm.
        let regular = Face::Regular.metrics();
        assert_eq!(regular.advance(b' '), 278);
        assert_eq!(regular.advance(b'W'), 944);
        assert_eq!(regular.advance(0xFC), 556); // ü
        assert_eq!(regular.advance(0x97), 1000); // em dash
        assert_eq!(Face::Bold.metrics().advance(b'i'), 278);
        assert_eq!(Face::Bold.metrics().advance(0xC9), 667); // É
        assert_eq!(regular.cap_height, 718.0);
        assert_eq!(regular.bbox, [-166.0, -225.0, 1000.0, 931.0]);
    }

    #[test]
    fn latin_1_and_win_ansi_marks_are_kept_and_the_rest_become_question_marks() {
        assert_eq!(encode("Müller"), b"M\xFCller");
        assert_eq!(encode("José Ñúñez"), b"Jos\xE9 \xD1\xFA\xF1ez");
        assert_eq!(encode("a — b € “c”"), b"a \x97 b \x80 \x93c\x94");
        assert_eq!(encode("Žž"), b"\x8E\x9E");
        assert_eq!(encode("Ωλ中\u{1F600}\u{7}"), b"?????");
    }

    #[test]
    fn every_extra_sits_where_the_encoding_names_its_glyph() {
        for (c, code) in WIN_ANSI_EXTRAS {
            assert!(glyph_name(code).is_some(), "{c} at {code:#x} has no glyph");
        }
    }
}
