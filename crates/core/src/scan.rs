//! The sensitive-number scan: before anything of a matter is sealed for an outside
//! provider, its outgoing text (a work order's brief, messages, text read from
//! documents) is searched for numbers that identify a person or an account — Social
//! Security numbers, card, routing and account numbers, dates of birth, e-mail
//! addresses and phone numbers — so a person can redact each hit or keep it on
//! purpose (Model Rule 1.6(c), reasonable efforts). The send guard counts the hits
//! nobody has dealt with.
//!
//! The scan is a hand-written tokenizer, not a general pattern engine, because the
//! hard part is not finding digits but *not* crying wolf on what fills legal text:
//! case and docket numbers (`1:24-cv-01234`, `ECF No. 45`), Bates numbers
//! (`SMITH-000123`), ZIP codes, money, statute cites, matter and invoice numbers,
//! and ordinary dates. So every number must stand on its own (not glued to letters
//! or to another number by `-`, `.`, `/` or `,`), must have the shape of its kind and
//! pass its checksum where it has one (Luhn for cards, the ABA checksum for routing
//! numbers, the SSA's rules for SSNs), and the kinds that have no shape of their own
//! (bare nine-digit SSNs, routing and account numbers, dates of birth) count only
//! next to the words that say what they are.
//!
//! A keyword speaks for the first number after it: the text between them holds no
//! digit, no `@`, no end of sentence and no redaction mark. That is also what makes
//! redaction final: scanning [`redact`]'s output finds no number again, because a
//! redaction mark neither carries a keyword nor brings one closer to a number.
//!
//! Pure: no I/O, no clock.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Characters of surrounding text a hit's context shows on each side.
pub const CONTEXT_CHARS: usize = 40;
/// How far (bytes) before a bare nine-digit SSN its keyword may be.
const SSN_REACH: usize = 20;
/// How far before or after a routing number its keyword may be.
const ROUTING_REACH: usize = 30;
/// How far after its keyword, or after a routing number, an account number may be.
const ACCOUNT_REACH: usize = 40;
/// How far after its keyword a date of birth may be.
const DOB_REACH: usize = 25;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ScanHitKind")]
pub enum HitKind {
    /// A US Social Security number.
    Ssn,
    /// A payment card number (Luhn-valid, known issuer prefix).
    PaymentCard,
    /// An ABA routing number, next to a word that says so.
    RoutingNumber,
    /// A bank account number, after its keyword or a routing number.
    AccountNumber,
    /// A date, after a word that says it is a date of birth.
    DateOfBirth,
    Email,
    Phone,
}

impl HitKind {
    /// The kind in words, as the window and the redaction mark show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ssn => "SSN",
            Self::PaymentCard => "card number",
            Self::RoutingNumber => "routing number",
            Self::AccountNumber => "account number",
            Self::DateOfBirth => "date of birth",
            Self::Email => "e-mail address",
            Self::Phone => "phone number",
        }
    }

    const ALL: [HitKind; 7] = [
        Self::Ssn,
        Self::PaymentCard,
        Self::RoutingNumber,
        Self::AccountNumber,
        Self::DateOfBirth,
        Self::Email,
        Self::Phone,
    ];

    /// What [`redact`] puts in place of a hit of this kind.
    fn mark(self) -> String {
        format!("[REDACTED {}]", self.label())
    }
}

/// One sensitive number found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ScanHit")]
pub struct Hit {
    pub kind: HitKind,
    /// Byte offset of the hit's first byte in the scanned text.
    pub start: usize,
    /// Byte offset just past the hit.
    pub end: usize,
    /// The matched text, exactly as written.
    pub text: String,
    /// Up to [`CONTEXT_CHARS`] characters either side of the hit, with the hit, on one
    /// line (newlines and other control characters as spaces): what a person reads
    /// to decide whether to redact it or keep it.
    pub context: String,
}

/// Every sensitive number in `text`, sorted by `start` and not overlapping.
///
/// Where two readings overlap, the one that starts first wins, then the longer, then
/// the kind listed first in [`HitKind`]. Once a number is found, every other copy of
/// its exact text is a hit too, even where it is glued to other text
/// (`statement_021000021.pdf`): a number known to be sensitive is sensitive
/// wherever it is written.
pub fn scan(text: &str) -> Vec<Hit> {
    let t = Text::new(text);
    let b = t.b;
    let words = Keywords::find(&t);
    let mut found: Vec<(usize, usize, HitKind)> = Vec::new();
    // Ends of the routing numbers found so far: an account number may follow one.
    let mut routing_ends: Vec<usize> = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c == b'@' {
            if let Some((s, e)) = t.email(i) {
                found.push((s, e, HitKind::Email));
            }
            continue;
        }
        if !(c.is_ascii_alphanumeric() || c == b'+' || c == b'(') || !t.starts_clear(i) {
            continue;
        }
        let mut push = |end: Option<usize>, kind: HitKind| {
            if let Some(e) = end.filter(|&e| t.ends_clear(e)) {
                found.push((i, e, kind));
            }
        };
        if c.is_ascii_alphabetic() {
            if t.near_before(&words.dob, i, DOB_REACH) {
                push(month_first_date(b, i), HitKind::DateOfBirth);
            }
            continue;
        }
        if c == b'+' {
            if b.get(i + 1) == Some(&b'1') {
                let mut j = i + 2;
                if matches!(b.get(j), Some(b' ' | b'-' | b'.')) {
                    j += 1;
                }
                push(nanp_body(b, j), HitKind::Phone);
            }
            for e in international(b, i) {
                push(Some(e), HitKind::Phone);
            }
            continue;
        }
        push(nanp(b, i), HitKind::Phone);
        if c == b'(' {
            continue;
        }
        push(t.ssn(i, &words), HitKind::Ssn);
        for e in card(b, i) {
            push(Some(e), HitKind::PaymentCard);
        }
        if let Some(e) = t.routing(i, &words).filter(|&e| t.ends_clear(e)) {
            push(Some(e), HitKind::RoutingNumber);
            routing_ends.push(e);
        }
        if let Some(e) = t.account(i, &words, &routing_ends) {
            push(Some(e), HitKind::AccountNumber);
        }
        if t.near_before(&words.dob, i, DOB_REACH) {
            push(numeric_date(b, i), HitKind::DateOfBirth);
            push(day_first_date(b, i), HitKind::DateOfBirth);
        }
    }

    found.sort_by_key(|&(s, e, k)| (s, Reverse(e), k));
    let mut kept: Vec<(usize, usize, HitKind)> = Vec::new();
    let mut at = 0;
    for (s, e, k) in found {
        if s >= at {
            kept.push((s, e, k));
            at = e;
        }
    }

    let kept = with_copies(text, kept);

    kept.into_iter()
        .map(|(start, end, kind)| Hit {
            kind,
            start,
            end,
            text: text[start..end].to_owned(),
            context: context(text, start, end),
        })
        .collect()
}

/// `kept` (sorted, apart) with every other copy of a found text added, sorted and
/// apart. One pass over the text: numbers are looked up by length where one could
/// start, addresses by their local part at each `@`, so a call log or a mailing list
/// with thousands of distinct entries stays linear.
fn with_copies(text: &str, kept: Vec<(usize, usize, HitKind)>) -> Vec<(usize, usize, HitKind)> {
    let b = text.as_bytes();
    let mut numbers: HashMap<&str, HitKind> = HashMap::new();
    let mut firsts = [false; 256];
    let mut emails: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for &(s, e, kind) in &kept {
        let t = &text[s..e];
        match t.split_once('@') {
            Some((local, domain)) if kind == HitKind::Email => {
                emails.entry(local).or_default().insert(domain);
            }
            _ => {
                numbers.entry(t).or_insert(kind);
                firsts[usize::from(b[s])] = true;
            }
        }
    }
    let lengths: BTreeSet<usize> = numbers.keys().map(|t| t.len()).collect();
    let local_lengths: BTreeSet<usize> = emails.keys().map(|t| t.len()).collect();
    let mut seen: Vec<(usize, usize, HitKind)> = Vec::new();
    for (p, &c) in b.iter().enumerate() {
        // Numbers start with an ASCII byte, so `p` is a character boundary.
        if firsts[usize::from(c)] {
            for &len in &lengths {
                if let Some(&kind) = text.get(p..p + len).and_then(|t| numbers.get(t)) {
                    seen.push((p, p + len, kind));
                }
            }
        }
        if c == b'@' {
            for &len in local_lengths.iter().take_while(|&&len| len <= p) {
                let Some(domains) = text.get(p - len..p).and_then(|l| emails.get(l)) else {
                    continue;
                };
                for d in domains.iter().filter(|d| text[p + 1..].starts_with(**d)) {
                    seen.push((p - len, p + 1 + d.len(), HitKind::Email));
                }
            }
        }
    }
    seen.sort_unstable_by_key(|&(s, e, k)| (s, Reverse(e), k));
    let mut all = Vec::with_capacity(kept.len() + seen.len());
    let mut copy_end = 0;
    for (s, e, kind) in seen {
        let idx = kept.partition_point(|h| h.0 < s);
        let overlaps = (idx > 0 && kept[idx - 1].1 > s) || kept.get(idx).is_some_and(|h| h.0 < e);
        // A copy that overlaps a hit or a copy is broken by redacting that one.
        if s >= copy_end && !overlaps {
            all.push((s, e, kind));
            copy_end = e;
        }
    }
    all.extend(kept);
    all.sort_unstable_by_key(|h| h.0);
    all
}

/// `text` with each of `hits` replaced by `[REDACTED <label>]` (`[REDACTED SSN]`,
/// `[REDACTED card number]`, …) and every other byte as it was.
///
/// `hits` are those of [`scan`] on this same text, less the ones a person chose to
/// keep. A hit whose offsets no longer hold its text (the text changed since the
/// scan) is not skipped: every copy of its text is redacted instead, because a stale
/// list must never let a number out. Overlapping hits become one mark.
pub fn redact(text: &str, hits: &[Hit]) -> String {
    let mut spans: Vec<(usize, usize, HitKind)> = Vec::new();
    for h in hits {
        if h.start < h.end && text.get(h.start..h.end) == Some(h.text.as_str()) {
            spans.push((h.start, h.end, h.kind));
        } else if let Some(first) = h.text.chars().next() {
            let mut from = 0;
            while let Some(p) = text[from..].find(h.text.as_str()) {
                spans.push((from + p, from + p + h.text.len(), h.kind));
                from += p + first.len_utf8();
            }
        }
    }
    spans.sort_by_key(|&(s, e, k)| (s, Reverse(e), k));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut spans = spans.into_iter().peekable();
    while let Some((s, mut e, kind)) = spans.next() {
        while let Some(&(_, e2, _)) = spans.peek().filter(|n| n.0 < e) {
            e = e.max(e2);
            spans.next();
        }
        out.push_str(&text[at..s]);
        out.push_str(&kind.mark());
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// Up to [`CONTEXT_CHARS`] characters either side of `start..end`, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(start, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| end + i);
    text[from..to]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------
// Keywords

const SSN_WORDS: &[&str] = &[
    "ssn",
    "ss#",
    "ss #",
    "ss no",
    "s.s.n",
    "social security",
    "soc. sec.",
    "soc sec",
];
const ROUTING_WORDS: &[&str] = &["routing", "aba", "rtn", "wire", "wiring", "transit"];
const ACCOUNT_WORDS: &[&str] = &[
    "account no",
    "account number",
    "account num",
    "account #",
    "account:",
    "account ending in",
    "acct",
    "acct. no",
    "acc no",
];
const DOB_WORDS: &[&str] = &[
    "dob",
    "d.o.b",
    "d.o.b.",
    "date of birth",
    "born",
    "birth date",
    "birthdate",
    "birthday",
];

/// Where each family of keywords occurs: (start, end) byte spans, sorted by start.
struct Keywords {
    ssn: Vec<(usize, usize)>,
    routing: Vec<(usize, usize)>,
    account: Vec<(usize, usize)>,
    dob: Vec<(usize, usize)>,
}

impl Keywords {
    fn find(t: &Text<'_>) -> Keywords {
        Keywords {
            ssn: t.keyword_spans(SSN_WORDS),
            routing: t.keyword_spans(ROUTING_WORDS),
            account: t.keyword_spans(ACCOUNT_WORDS),
            dob: t.keyword_spans(DOB_WORDS),
        }
    }
}

/// Where `word` matches `lower` at `i`, case already folded; a space in `word`
/// matches any run of whitespace (text read from PDFs breaks lines anywhere).
fn match_word(lower: &[u8], mut i: usize, word: &[u8]) -> Option<usize> {
    for &w in word {
        if w == b' ' {
            let s = i;
            while lower.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if i == s {
                return None;
            }
        } else {
            if lower.get(i) != Some(&w) {
                return None;
            }
            i += 1;
        }
    }
    Some(i)
}

// ---------------------------------------------------------------------------------
// The text and its boundaries

/// Bytes a number may not be glued to a word with (`cv-01234`, `U.S.C.`, `1,234`).
const GLUE: &[u8] = b"-./_,:@=\\&";

struct Text<'a> {
    s: &'a str,
    b: &'a [u8],
    lower: Vec<u8>,
    /// Redaction marks already in the text, (start, end), sorted.
    marks: Vec<(usize, usize)>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Text<'a> {
        let mut marks = Vec::new();
        for kind in HitKind::ALL {
            let m = kind.mark();
            marks.extend(s.match_indices(m.as_str()).map(|(i, _)| (i, i + m.len())));
        }
        marks.sort_unstable();
        Text {
            s,
            b: s.as_bytes(),
            lower: s.as_bytes().to_ascii_lowercase(),
            marks,
        }
    }

    /// Whether a redaction mark ends at `i`.
    fn mark_ends(&self, i: usize) -> bool {
        self.marks.binary_search_by_key(&i, |m| m.1).is_ok()
    }

    /// Whether the character ending at `i` belongs to a word. A redaction mark counts
    /// as one, as the number it replaced did: a number next to a mark is read as it
    /// was next to the number, so redacting never makes a number findable.
    fn word_before(&self, i: usize) -> bool {
        match self.s[..i].chars().next_back() {
            None => false,
            Some(']') => self.mark_ends(i),
            Some(c) => c.is_alphanumeric(),
        }
    }

    /// Whether the character starting at `i` belongs to a word (or a redaction mark).
    fn word_after(&self, i: usize) -> bool {
        match self.s[i..].chars().next() {
            None => false,
            Some('[') => self.marks.binary_search_by_key(&i, |m| m.0).is_ok(),
            Some(c) => c.is_alphanumeric(),
        }
    }

    /// Whether a number may start at `i`: not inside a word or another number, not
    /// after a currency sign.
    fn starts_clear(&self, i: usize) -> bool {
        if self.word_before(i) {
            return false;
        }
        match self.s[..i].chars().next_back() {
            None => true,
            Some('$' | '€' | '£' | '¥') => false,
            // "SSN:123-45-6789" is a label; "1:24-cv-01234" is a case number (and a
            // redaction mark stands for the number it replaced).
            Some(':') => !(i >= 2 && self.b[i - 2].is_ascii_digit() || self.mark_ends(i - 1)),
            Some(c) if c.is_ascii() && GLUE.contains(&(c as u8)) => !self.word_before(i - 1),
            Some(_) => true,
        }
    }

    /// Whether a number may end at `e`: not followed by more of a word, a decimal,
    /// a percentage or another glued part (`10001-1234`).
    fn ends_clear(&self, e: usize) -> bool {
        if self.word_after(e) {
            return false;
        }
        match self.b.get(e) {
            None => true,
            Some(b'%') => false,
            Some(c) if GLUE.contains(c) => !self.word_after(e + 1),
            Some(_) => true,
        }
    }

    /// Whole-word occurrences of `words`, outside redaction marks, sorted by start.
    fn keyword_spans(&self, words: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for w in words {
            let wb = w.as_bytes();
            for (i, &c) in self.lower.iter().enumerate() {
                if c != wb[0] || self.word_before(i) {
                    continue;
                }
                let Some(e) = match_word(&self.lower, i, wb) else {
                    continue;
                };
                let ends_word = wb[wb.len() - 1].is_ascii_alphanumeric();
                // "SSN123456789" still names the number; "abandon" is not "aba".
                if ends_word && self.word_after(e) && !self.b[e].is_ascii_digit() {
                    continue;
                }
                if self.crosses_mark(i, e) {
                    continue;
                }
                out.push((i, e));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `a..b` touches a redaction mark.
    fn crosses_mark(&self, a: usize, b: usize) -> bool {
        let idx = self.marks.partition_point(|m| m.1 <= a);
        self.marks.get(idx).is_some_and(|m| m.0 < b)
    }

    /// Whether a keyword at the end of `a..b` speaks for a number at its other end:
    /// nothing between them that is another number, an address, a redaction mark or
    /// the end of a sentence.
    fn gap_clear(&self, a: usize, b: usize) -> bool {
        if self.crosses_mark(a, b) {
            return false;
        }
        let g = &self.b[a..b];
        for (k, &c) in g.iter().enumerate() {
            match c {
                b'0'..=b'9' | b'@' | b';' => return false,
                b'\n' if g.get(k + 1) == Some(&b'\n') => return false,
                b'.' | b'!' | b'?' => {
                    // ". The" ends a sentence; "No. 12" does not.
                    let mut j = a + k + 1;
                    let s = j;
                    while j < b && self.b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if j > s && self.b.get(j).is_some_and(u8::is_ascii_uppercase) {
                        return false;
                    }
                }
                _ => {}
            }
        }
        true
    }

    /// Whether a keyword of `spans` ends at most `reach` bytes before `i` and speaks
    /// for what starts there.
    fn near_before(&self, spans: &[(usize, usize)], i: usize, reach: usize) -> bool {
        let idx = spans.partition_point(|s| s.0 < i);
        spans[..idx]
            .iter()
            .rev()
            .take_while(|s| s.0 + reach + 64 >= i)
            .any(|&(_, e)| e <= i && i - e <= reach && self.gap_clear(e, i))
    }

    /// Whether a keyword of `spans` starts at most `reach` bytes after `e`.
    fn near_after(&self, spans: &[(usize, usize)], e: usize, reach: usize) -> bool {
        let idx = spans.partition_point(|s| s.0 < e);
        spans[idx..]
            .iter()
            .take_while(|s| s.0 - e <= reach)
            .any(|&(s, _)| self.gap_clear(e, s))
    }

    // -----------------------------------------------------------------------------
    // The kinds that need a keyword (or a shape) to be told apart from other numbers

    /// An SSN from `i`: `AAA-GG-SSSS` (hyphens or spaces), or nine bare digits after
    /// an SSN keyword.
    fn ssn(&self, i: usize, words: &Keywords) -> Option<usize> {
        let b = self.b;
        let g = groups(b, i, b"- ", 3);
        let digits: Vec<u8> = if lens(&g) == [3, 2, 4] {
            g.iter().flat_map(|&(s, e)| &b[s..e]).copied().collect()
        } else if lens(&g[..1]) == [9] && self.near_before(&words.ssn, i, SSN_REACH) {
            b[g[0].0..g[0].1].to_vec()
        } else {
            return None;
        };
        let end = if g[0].1 - g[0].0 == 9 { g[0].1 } else { g[2].1 };
        ssn_valid(&digits).then_some(end)
    }

    /// An ABA routing number from `i`: nine bare digits, valid, near a routing word.
    fn routing(&self, i: usize, words: &Keywords) -> Option<usize> {
        let e = run_end(self.b, i);
        if e - i != 9 || !routing_valid(&self.b[i..e]) {
            return None;
        }
        (self.near_before(&words.routing, i, ROUTING_REACH)
            || self.near_after(&words.routing, e, ROUTING_REACH))
        .then_some(e)
    }

    /// An account number from `i`: 4 to 17 digits (hyphens allowed), after an
    /// account keyword or a routing number. A lone year (1900–2099) is not one, nor
    /// is a date.
    fn account(&self, i: usize, words: &Keywords, routing_ends: &[usize]) -> Option<usize> {
        let b = self.b;
        let g = groups(b, i, b"-", 8);
        let e = g.last()?.1;
        let n: usize = lens(&g).iter().sum();
        if !(4..=17).contains(&n) || numeric_date(b, i) == Some(e) {
            return None;
        }
        if g.len() == 1 && n == 4 && (1900..=2099).contains(&value(&b[i..e])) {
            return None;
        }
        let after_routing = routing_ends
            .iter()
            .rev()
            .take_while(|&&r| r + ACCOUNT_REACH >= i)
            .any(|&r| r <= i && self.gap_clear(r, i));
        (after_routing || self.near_before(&words.account, i, ACCOUNT_REACH)).then_some(e)
    }

    /// An e-mail address around the `@` at `at`, as (start, end).
    fn email(&self, at: usize) -> Option<(usize, usize)> {
        let b = self.b;
        let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        while s < at && b[s] == b'.' {
            s += 1;
        }
        if s == at {
            return None;
        }
        let mut e = at + 1;
        while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'-' || b[e] == b'.') {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let labels: Vec<&str> = self.s[at + 1..e].split('.').collect();
        let tld = labels.last()?;
        let ok = labels.len() >= 2
            && labels
                .iter()
                .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic());
        (ok && !self.word_after(e)).then_some((s, e))
    }
}

// ---------------------------------------------------------------------------------
// Shapes and checksums

/// End of the run of ASCII digits from `i`.
fn run_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// The digit groups of a number written from `i`, (start, end) each, joined by one
/// byte of `seps`, the same one throughout; at most `max` groups.
fn groups(b: &[u8], i: usize, seps: &[u8], max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut j = i;
    let mut sep = None;
    loop {
        let e = run_end(b, j);
        if e == j {
            break;
        }
        out.push((j, e));
        if out.len() == max {
            break;
        }
        let Some(&c) = b.get(e) else { break };
        if !seps.contains(&c)
            || sep.is_some_and(|s| s != c)
            || !b.get(e + 1).is_some_and(u8::is_ascii_digit)
        {
            break;
        }
        sep = Some(c);
        j = e + 1;
    }
    out
}

fn lens(g: &[(usize, usize)]) -> Vec<usize> {
    g.iter().map(|&(s, e)| e - s).collect()
}

/// The value of a short run of ASCII digits.
fn value(d: &[u8]) -> u32 {
    d.iter()
        .take(9)
        .fold(0, |v, &c| v * 10 + u32::from(c - b'0'))
}

/// The SSA never issues area 000, 666 or 900–999, group 00 or serial 0000.
fn ssn_valid(d: &[u8]) -> bool {
    let (area, group, serial) = (value(&d[..3]), value(&d[3..5]), value(&d[5..]));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// The ABA checksum (weights 3, 7, 1) and a Federal Reserve prefix: 00–12
/// (banks), 21–32 (thrifts), 61–72 (electronic), 80 (traveller's cheques).
fn routing_valid(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(&c, &w)| u32::from(c - b'0') * w)
        .sum();
    let prefix = value(&d[..2]);
    sum.is_multiple_of(10) && matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80)
}

/// The Luhn check of a card number.
fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &c)| {
            let v = u32::from(c - b'0');
            if k % 2 == 1 {
                if v > 4 { v * 2 - 9 } else { v * 2 }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `d` starts like a card of a network that issues that length: Visa,
/// Mastercard, American Express, Discover, Diners Club, JCB, UnionPay, Maestro.
fn issuer_known(d: &[u8]) -> bool {
    let n = d.len();
    let p = |k: usize| value(&d[..k]);
    match d[0] {
        b'4' => matches!(n, 13 | 16 | 19),
        b'2' => n == 16 && (2221..=2720).contains(&p(4)),
        b'5' => match p(2) {
            51..=55 => n == 16,
            50 | 56..=58 => n >= 13,
            _ => false,
        },
        b'3' => match p(2) {
            34 | 37 => n == 15,
            36 | 38 | 39 => n >= 14,
            30 => (300..=305).contains(&p(3)) && n >= 14,
            35 => (3528..=3589).contains(&p(4)) && n >= 16,
            _ => false,
        },
        b'6' => {
            p(4) == 6011
                || (644..=649).contains(&p(3))
                || p(2) == 65
                || (p(2) == 62 && n >= 16)
                || matches!(p(4), 6304 | 6759 | 6761..=6763)
        }
        _ => false,
    }
}

/// Ends of the card numbers starting at `i`: 13–19 digits, bare or in groups of 3–6
/// (the first of 4–6) joined by spaces or hyphens; every valid length, the longest
/// that ends clear of other text wins.
fn card(b: &[u8], i: usize) -> Vec<usize> {
    let g = groups(b, i, b" -", 8);
    let mut out = Vec::new();
    let mut digits: Vec<u8> = Vec::new();
    for (k, &(s, e)) in g.iter().enumerate() {
        let len = e - s;
        let fits = if k == 0 {
            len >= 4
        } else {
            (3..=6).contains(&len) && g[0].1 - g[0].0 <= 6
        };
        if !fits {
            break;
        }
        digits.extend_from_slice(&b[s..e]);
        if digits.len() > 19 {
            break;
        }
        if digits.len() >= 13 && luhn(&digits) && issuer_known(&digits) {
            out.push(e);
        }
    }
    out
}

/// A North American number from `i`: `(212) 555-0142`, `212-555-0142`,
/// `212.555.0142`, `212 555 0142`, or with a leading `1-`.
fn nanp(b: &[u8], i: usize) -> Option<usize> {
    if b[i] == b'1'
        && matches!(b.get(i + 1), Some(b' ' | b'-' | b'.'))
        && b.get(i + 2)
            .is_some_and(|&c| c.is_ascii_digit() || c == b'(')
        && let Some(e) = nanp_body(b, i + 2)
    {
        return Some(e);
    }
    nanp_body(b, i)
}

/// Exactly `n` digits from `j`, the first of them 2–9 when `nxx`.
fn digits_exact(b: &[u8], j: usize, n: usize, nxx: bool) -> Option<usize> {
    let e = run_end(b, j);
    (e - j == n && (!nxx || b[j] >= b'2')).then_some(e)
}

fn nanp_body(b: &[u8], j: usize) -> Option<usize> {
    let sep = |k: usize| matches!(b.get(k), Some(b' ' | b'-' | b'.'));
    let j = if b.get(j) == Some(&b'(') {
        let k = digits_exact(b, j + 1, 3, true)?;
        if b.get(k) != Some(&b')') {
            return None;
        }
        if matches!(b.get(k + 1), Some(b' ' | b'-')) {
            k + 2
        } else {
            k + 1
        }
    } else {
        let k = digits_exact(b, j, 3, true)?;
        if !sep(k) {
            return None;
        }
        k + 1
    };
    let k = digits_exact(b, j, 3, true)?;
    if !sep(k) {
        return None;
    }
    digits_exact(b, k + 1, 4, false)
}

/// Ends of the international numbers from the `+` at `i`: digit groups joined by
/// single spaces, hyphens or dots, a trunk `(0)` allowed, 8–15 digits in all.
fn international(b: &[u8], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut j = run_end(b, i + 1);
    let mut total = j - (i + 1);
    if total == 0 {
        return out;
    }
    if (8..=15).contains(&total) {
        out.push(j);
    }
    let mut after_paren = false;
    while total <= 15 {
        let mut k = j;
        if matches!(b.get(k), Some(b' ' | b'-' | b'.')) {
            k += 1;
        }
        if b.get(k) == Some(&b'(') {
            let e = run_end(b, k + 1);
            if e == k + 1 || e - (k + 1) > 4 || b.get(e) != Some(&b')') {
                break;
            }
            total += e - (k + 1);
            j = e + 1;
            after_paren = true;
            continue;
        }
        let e = run_end(b, k);
        if e == k || (k == j && !after_paren) {
            break;
        }
        total += e - k;
        j = e;
        after_paren = false;
        if (8..=15).contains(&total) {
            out.push(j);
        }
    }
    out
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// The end of a month's name (or its abbreviation, with its dot) at `i`.
fn month_word(b: &[u8], i: usize) -> Option<usize> {
    let mut e = i;
    while b.get(e).is_some_and(u8::is_ascii_alphabetic) {
        e += 1;
    }
    let w = b[i..e].to_ascii_lowercase();
    MONTHS.iter().find(|(m, _)| m.as_bytes() == w.as_slice())?;
    Some(if b.get(e) == Some(&b'.') { e + 1 } else { e })
}

/// After at least one (at most three) whitespace bytes from `j`.
fn spaces(b: &[u8], j: usize) -> Option<usize> {
    let mut e = j;
    while e - j < 3 && b.get(e).is_some_and(u8::is_ascii_whitespace) {
        e += 1;
    }
    (e > j).then_some(e)
}

/// A day of the month from `j` (1–31, with "st", "nd", "rd" or "th").
fn day(b: &[u8], j: usize) -> Option<usize> {
    let e = run_end(b, j);
    if !(1..=2).contains(&(e - j)) || !(1..=31).contains(&value(&b[j..e])) {
        return None;
    }
    let suffix = b.get(e..e + 2).map(<[u8]>::to_ascii_lowercase);
    if matches!(suffix.as_deref(), Some(b"st" | b"nd" | b"rd" | b"th"))
        && !b.get(e + 2).is_some_and(u8::is_ascii_alphabetic)
    {
        return Some(e + 2);
    }
    Some(e)
}

/// A four-digit year a living person was born in, from `j`.
fn year(b: &[u8], j: usize) -> Option<usize> {
    let e = run_end(b, j);
    (e - j == 4 && (1900..=2099).contains(&value(&b[j..e]))).then_some(e)
}

/// `March 3, 1961`, `Mar. 3rd 1961`.
fn month_first_date(b: &[u8], i: usize) -> Option<usize> {
    let j = spaces(b, month_word(b, i)?)?;
    let mut j = day(b, j)?;
    if b.get(j) == Some(&b',') {
        j += 1;
    }
    year(b, spaces(b, j)?)
}

/// `3 March 1961`, `3rd Mar. 1961`.
fn day_first_date(b: &[u8], i: usize) -> Option<usize> {
    let mut j = month_word(b, spaces(b, day(b, i)?)?)?;
    if b.get(j) == Some(&b',') {
        j += 1;
    }
    year(b, spaces(b, j)?)
}

/// `MM/DD/YYYY`, `M/D/YY`, `DD.MM.YYYY`, `YYYY-MM-DD` (one separator throughout).
fn numeric_date(b: &[u8], i: usize) -> Option<usize> {
    let g = groups(b, i, b"/-.", 3);
    if g.len() != 3 {
        return None;
    }
    let v: Vec<u32> = g.iter().map(|&(s, e)| value(&b[s..e])).collect();
    let l = lens(&g);
    let month = |m: u32| (1..=12).contains(&m);
    let is_day = |d: u32| (1..=31).contains(&d);
    let ok = if l[0] == 4 && (1..=2).contains(&l[1]) && (1..=2).contains(&l[2]) {
        (1900..=2099).contains(&v[0]) && month(v[1]) && is_day(v[2])
    } else if (1..=2).contains(&l[0]) && (1..=2).contains(&l[1]) && (l[2] == 2 || l[2] == 4) {
        (l[2] == 2 || (1900..=2099).contains(&v[2]))
            && ((month(v[0]) && is_day(v[1])) || (is_day(v[0]) && month(v[1])))
    } else {
        false
    };
    ok.then_some(g[2].1)
}

#[cfg(test)]
mod tests;

/// One hit in an item about to be shared, with what a person decided about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScanFinding {
    pub hit: Hit,
    /// Who decided this number goes as it is, and when; `None` while open.
    pub kept_by: Option<String>,
    pub kept_at: Option<String>,
}

/// The scan of one item about to be shared (the brief, a document version, a
/// deadline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemScan {
    /// `brief`, `document` or `deadline`.
    pub kind: String,
    /// The assignment (brief), document version or deadline id.
    pub id: String,
    pub label: String,
    pub findings: Vec<ScanFinding>,
}

impl ItemScan {
    /// Hits neither kept by a named person nor redacted (a redacted version has none).
    pub fn open(&self) -> u32 {
        self.findings.iter().filter(|f| f.kept_by.is_none()).count() as u32
    }
}
