//! Global search (Ctrl+K in the window, `mandate search`): matters, parties,
//! providers, messages and documents at once. And turning what a person types into
//! a valid FTS5 query.
//!
//! People type quotes, dashes, asterisks, parentheses and words like AND or NOT.
//! Passed to FTS5 as they are, those raise syntax errors or change the meaning.
//! Instead every word becomes a quoted prefix term, and all terms must match.
//! Also the snippets shown with each hit, their matched words marked.

use mandate_core::{MatterFilter, PartyFilter, ProviderFilter, Result, SearchResults, SnippetPart};

use crate::Store;

/// Returns an FTS5 MATCH expression, or `None` when the input has no searchable
/// characters (the caller then lists without a text filter).
///
/// `acme widg` → `"acme"* "widg"*`; `2026-001` → `"2026-001"*`, which FTS5
/// tokenises as the phrase "2026 001" with a prefix on the last token.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Words of context a search snippet shows.
pub(crate) const SNIPPET_WORDS: usize = 12;

/// What was typed, as the lower-case terms a word must start with to be marked.
fn terms(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Byte spans of the words (runs of letters and digits) of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Appends `text` to `parts`, joined to the last part when both are of one kind.
fn push(parts: &mut Vec<SnippetPart>, text: &str, hit: bool) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => parts.push(SnippetPart::new(text, hit)),
    }
}

/// The part of `body` around the first word that matches what was typed, cut with
/// `…`, the matched words marked — what FTS5's `snippet()` gives, made here from the
/// text already fetched. (`snippet()` re-runs the MATCH for each row, which made it
/// most of a search's time.) Matching is by lower-case prefix, as the search is; a
/// word FTS5 matched only through diacritic folding is shown unmarked.
pub(crate) fn snippet(body: &str, typed: &str, words: usize) -> Vec<SnippetPart> {
    let terms = terms(typed);
    let spans = word_spans(body);
    let hit = |&(a, b): &(usize, usize)| {
        let w = body[a..b].to_lowercase();
        terms.iter().any(|t| w.starts_with(t.as_str()))
    };
    let first = spans.iter().position(hit).unwrap_or(0);
    let words = words.max(1);
    let from = first.saturating_sub(words / 4);
    let to = (from + words).min(spans.len());
    let mut out = Vec::new();
    if from > 0 {
        push(&mut out, "…", false);
    }
    for (k, span) in spans[from..to].iter().enumerate() {
        if k > 0 {
            // The text between two words, line breaks and runs of spaces made one space.
            let between = &body[spans[from + k - 1].1..span.0];
            let mut gap = String::new();
            let mut last_space = false;
            for c in between.chars() {
                if c.is_whitespace() {
                    if !last_space {
                        gap.push(' ');
                    }
                    last_space = true;
                } else {
                    gap.push(c);
                    last_space = false;
                }
            }
            push(&mut out, &gap, false);
        }
        push(&mut out, &body[span.0..span.1], hit(span));
    }
    if to < spans.len() {
        push(&mut out, "…", false);
    }
    out
}

/// `text` (a snippet already cut, e.g. by FTS5's `snippet()` with no marks) in
/// pieces, the words that start with a typed term marked. Line breaks and runs of
/// spaces become one space, as in `snippet`.
pub(crate) fn mark(text: &str, typed: &str) -> Vec<SnippetPart> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.as_str();
    let terms = terms(typed);
    let mut out = Vec::new();
    let mut at = 0;
    for (a, b) in word_spans(text) {
        let w = text[a..b].to_lowercase();
        if terms.iter().any(|t| w.starts_with(t.as_str())) {
            push(&mut out, &text[at..a], false);
            push(&mut out, &text[a..b], true);
            at = b;
        }
    }
    push(&mut out, &text[at..], false);
    out
}

impl Store {
    /// Searches matters, parties, providers and messages at once, `per_kind` results
    /// of each at most, for the window's search (Ctrl+K) and `mandate search`.
    pub fn search(&self, query: &str, per_kind: u32) -> Result<SearchResults> {
        let q = query.trim();
        if fts_query(q).is_none() {
            return Ok(SearchResults {
                query: q.to_owned(),
                ..Default::default()
            });
        }
        let parties = self
            .list_parties(&PartyFilter {
                query: Some(q.into()),
                limit: Some(per_kind),
                ..Default::default()
            })?
            .items;
        Ok(SearchResults {
            query: q.to_owned(),
            matters: self
                .list_matters(&MatterFilter {
                    query: Some(q.into()),
                    limit: Some(per_kind),
                    count: Some(false),
                    ..Default::default()
                })?
                .items,
            party_links: self
                .party_links(&parties.iter().map(|p| p.id.to_string()).collect::<Vec<_>>())?,
            parties,
            providers: self
                .list_providers(&ProviderFilter {
                    query: Some(q.into()),
                    limit: Some(per_kind),
                    ..Default::default()
                })?
                .items,
            messages: self.search_messages(q, per_kind)?,
            documents: self.search_documents(q, per_kind)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mandate_core::snippet_text;
    use proptest::prelude::*;

    #[test]
    fn snippets_mark_the_matched_words_in_context() {
        let body = "Please send the deposition transcript of Dr. Ruiz before the hearing; the \
                    court set the deposition schedule on Friday and nobody objected to it.";
        let parts = snippet(body, "depos", 8);
        assert_eq!(
            parts,
            [
                SnippetPart::new("…send the ", false),
                SnippetPart::new("deposition", true),
                SnippetPart::new(" transcript of Dr. Ruiz before…", false),
            ]
        );
        assert_eq!(
            snippet_text(&snippet(body, "friday NOT", 6)),
            "…on [Friday] and nobody objected to…"
        );
        // Nothing matched (diacritics folded by FTS5): the start of the text.
        assert_eq!(
            snippet("Café crème brûlée", "creme", 2),
            [SnippetPart::new("Café crème…", false)]
        );
        assert!(snippet("", "x", 5).is_empty());
        // Brackets in the text are text, not marks.
        assert_eq!(
            snippet("see [privilege] log", "privil", 5),
            [
                SnippetPart::new("see [", false),
                SnippetPart::new("privilege", true),
                SnippetPart::new("] log", false),
            ]
        );
    }

    #[test]
    fn marks_the_matched_words_of_a_cut_snippet() {
        assert_eq!(
            mark("…the Privileged log, privilege…", "privil LOG"),
            [
                SnippetPart::new("…the ", false),
                SnippetPart::new("Privileged", true),
                SnippetPart::new(" ", false),
                SnippetPart::new("log", true),
                SnippetPart::new(", ", false),
                SnippetPart::new("privilege", true),
                SnippetPart::new("…", false),
            ]
        );
        assert_eq!(
            mark("nothing here", "zz"),
            [SnippetPart::new("nothing here", false)]
        );
        assert!(mark("", "zz").is_empty());
    }

    #[test]
    fn quotes_each_word_as_a_prefix() {
        assert_eq!(
            fts_query("acme  widg").as_deref(),
            Some("\"acme\"* \"widg\"*")
        );
        assert_eq!(fts_query("\"a\"b").as_deref(), Some("\"ab\"*"));
        assert_eq!(fts_query(" - * ( ) "), None);
        assert_eq!(fts_query("NOT").as_deref(), Some("\"NOT\"*"));
    }

    proptest! {
        /// Any body and query give a snippet of at most `words` words, and a word
        /// that starts with a typed term is marked.
        #[test]
        fn snippets_are_bounded_and_mark_a_present_word(
            body in "\\PC{0,300}",
            typed in "\\PC{0,30}",
            words in 1usize..20,
        ) {
            let parts = snippet(&body, &typed, words);
            let s: String = parts.iter().map(|p| p.text.as_str()).collect();
            let n = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
            prop_assert!(n <= words, "{s:?} has {n} words");
            // Marked pieces are whole words; no two neighbours are of one kind.
            for p in &parts {
                prop_assert!(!p.text.is_empty());
                if p.hit {
                    prop_assert!(p.text.chars().all(char::is_alphanumeric), "{parts:?}");
                }
            }
            prop_assert!(parts.windows(2).all(|w| w[0].hit != w[1].hit), "{parts:?}");
            let mut with_hit = body.clone();
            with_hit.push_str(" zebrafish");
            prop_assert!(snippet(&with_hit, "zebra", words).contains(&SnippetPart::new("zebrafish", true)));
        }

        /// Whatever is typed, FTS5 accepts the query.
        #[test]
        fn any_input_is_a_valid_fts5_query(input in "\\PC{0,40}") {
            let conn = rusqlite::Connection::open_in_memory().unwrap();
            conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(x); INSERT INTO t VALUES ('acme widget 2026-001');").unwrap();
            if let Some(q) = fts_query(&input) {
                let r: rusqlite::Result<i64> = conn.query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&q], |r| r.get(0));
                prop_assert!(r.is_ok(), "query {q:?} from {input:?} failed: {r:?}");
            }
        }
    }
}
