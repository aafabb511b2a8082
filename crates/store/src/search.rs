//! Turning what a person types into a valid FTS5 query.
//!
//! People type quotes, dashes, asterisks, parentheses and words like AND or NOT.
//! Passed to FTS5 as they are, those raise syntax errors or change the meaning.
//! Instead every word becomes a quoted prefix term, and all terms must match.

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
