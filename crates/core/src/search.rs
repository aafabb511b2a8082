//! Global search results, grouped by kind so the window can show them in sections.

use crate::ids::{MatterId, MessageId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{DocumentHit, Matter, MatterParty, Party, Provider};

/// A message that matched a search, with the matter it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageHit {
    pub id: MessageId,
    pub matter_id: MatterId,
    pub matter_number: String,
    pub author: String,
    pub sent_at: String,
    /// The matching part of the body, in pieces: the words that matched are marked.
    pub snippet: Vec<SnippetPart>,
}

/// A piece of a search snippet: a run of text and whether it is a word that matched
/// what was typed. The window shows the marked pieces highlighted; nothing in the
/// text is markup, so any brackets or angle brackets in it are only text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SnippetPart {
    pub text: String,
    /// True for a word that matched.
    pub hit: bool,
}

impl SnippetPart {
    pub fn new(text: impl Into<String>, hit: bool) -> Self {
        Self {
            text: text.into(),
            hit,
        }
    }
}

/// A snippet as one line of plain text with the matched words between `[` and `]`,
/// for the CLI's text output.
pub fn snippet_text(parts: &[SnippetPart]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.hit {
            out.push('[');
            out.push_str(&p.text);
            out.push(']');
        } else {
            out.push_str(&p.text);
        }
    }
    out
}

/// What one query found, per kind, best matches first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchResults {
    pub query: String,
    pub matters: Vec<Matter>,
    pub parties: Vec<Party>,
    /// The matters the parties found are on (one link per matter and role), so a
    /// party hit can open its matter.
    pub party_links: Vec<MatterParty>,
    pub providers: Vec<Provider>,
    pub messages: Vec<MessageHit>,
    pub documents: Vec<DocumentHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_text_brackets_only_the_matched_words() {
        let parts = [
            SnippetPart::new("…the ", false),
            SnippetPart::new("privilege", true),
            SnippetPart::new(" log [draft]", false),
        ];
        assert_eq!(snippet_text(&parts), "…the [privilege] log [draft]");
        assert_eq!(snippet_text(&[]), "");
    }
}
