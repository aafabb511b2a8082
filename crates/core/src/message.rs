//! Messages on a matter: the correspondence kept with it (notes of calls, emails
//! pasted in, instructions), newest first, searchable with the rest.
//!
//! A message is the firm's record (owning side: firm). Its `sent_at` is a UTC
//! instant in one fixed form (`YYYY-MM-DDTHH:MM:SS.mmmZ`), so that the text order
//! the store sorts by is the order in time.

use crate::ids::{MatterId, MessageId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::TEXT_MAX;
use crate::fields::{clean_long, required};

/// Longest message body, in characters.
pub const BODY_MAX: usize = 100_000;
/// Longest author name, in characters.
pub const AUTHOR_MAX: usize = TEXT_MAX;
/// Most messages one page returns.
pub const PAGE_MAX: u32 = 200;
/// Messages per page when no limit is asked for.
pub const PAGE_DEFAULT: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Message {
    /// Stable id (UUID v7).
    pub id: MessageId,
    pub matter_id: MatterId,
    /// Who wrote or sent it, as typed.
    pub author: String,
    /// When it was sent: RFC 3339, UTC, milliseconds (`2026-03-02T14:05:00.000Z`).
    pub sent_at: String,
    /// The text, line breaks kept.
    pub body: String,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    /// Set when it went through the exchange: the side that wrote it (the firm's
    /// own, or one that came from the provider). `None` for a note kept here only.
    #[serde(default)]
    pub from_side: Option<crate::assignment::Side>,
    /// For a message this install sent through the exchange: queued, sent,
    /// received by the other side, or failed.
    #[serde(default)]
    pub delivery: Option<crate::exchange::OutboxState>,
}

/// What a person fills in to add a message to a matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageDraft {
    pub matter_id: MatterId,
    pub author: String,
    pub body: String,
    /// When it was sent (RFC 3339 with an offset); now when absent.
    #[serde(default)]
    #[ts(optional)]
    pub sent_at: Option<String>,
}

/// Where a page of messages ends: pass it back as `before` to get the next,
/// older page. Messages are ordered by `sent_at`, then `id`, both descending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageCursor {
    pub sent_at: String,
    pub id: MessageId,
}

/// One page of a matter's messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessagePage {
    pub items: Vec<Message>,
    /// The cursor for the next (older) page, or null when this is the last page.
    pub next: Option<MessageCursor>,
}

impl Message {
    /// The cursor that pages past this message.
    pub fn cursor(&self) -> MessageCursor {
        MessageCursor {
            sent_at: self.sent_at.clone(),
            id: self.id.clone(),
        }
    }
}

/// A message that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    pub author: String,
    pub body: String,
    /// In the fixed form of [`format_sent_at`].
    pub sent_at: String,
}

impl MessageDraft {
    /// `now` is used when the draft gives no `sent_at`.
    pub fn validate(&self, now: Timestamp) -> Result<ValidMessage> {
        if self.matter_id.trim().is_empty() {
            return Err(Error::invalid(
                "matter_id",
                "Choose the matter the message belongs to.",
            ));
        }
        let author = required("author", "who wrote the message", &self.author, AUTHOR_MAX)?;
        let body = clean_long("body", &self.body, BODY_MAX)?
            .ok_or_else(|| Error::invalid("body", "Write the message before sending it."))?;
        let sent_at = match self.sent_at.as_deref().map(str::trim) {
            None | Some("") => format_sent_at(now),
            Some(s) => format_sent_at(parse_sent_at(s)?),
        };
        Ok(ValidMessage {
            author,
            body,
            sent_at,
        })
    }
}

/// Reads an RFC 3339 instant (any offset), or says how to write one.
pub fn parse_sent_at(s: &str) -> Result<Timestamp> {
    crate::dates::parse_instant("sent_at", s)
}

/// The one stored form: UTC, milliseconds, `Z` (`2026-03-02T14:05:00.000Z`).
pub fn format_sent_at(t: Timestamp) -> String {
    crate::dates::format_instant(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> Timestamp {
        "2026-03-10T09:30:15.123456Z".parse().unwrap()
    }

    fn draft(author: &str, body: &str, sent_at: Option<&str>) -> MessageDraft {
        MessageDraft {
            matter_id: "m".into(),
            author: author.into(),
            body: body.into(),
            sent_at: sent_at.map(Into::into),
        }
    }

    #[test]
    fn trims_keeps_line_breaks_and_defaults_to_now() {
        let v = draft(
            " Jane Smith ",
            "  Call with GC.\n\tNext: send the brief.  ",
            None,
        )
        .validate(now())
        .unwrap();
        assert_eq!(v.author, "Jane Smith");
        assert_eq!(v.body, "Call with GC.\n\tNext: send the brief.");
        assert_eq!(v.sent_at, "2026-03-10T09:30:15.123Z");
    }

    #[test]
    fn sent_at_is_stored_in_utc_with_milliseconds() {
        let v = draft("J", "x", Some("2026-03-02T09:05:00-05:00"))
            .validate(now())
            .unwrap();
        assert_eq!(v.sent_at, "2026-03-02T14:05:00.000Z");
        let v = draft("J", "x", Some("2026-03-02T14:05:00.5Z"))
            .validate(now())
            .unwrap();
        assert_eq!(v.sent_at, "2026-03-02T14:05:00.500Z");
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let long_body = "b".repeat(BODY_MAX + 1);
        let long_author = "a".repeat(AUTHOR_MAX + 1);
        for (d, field) in [
            (
                MessageDraft {
                    matter_id: " ".into(),
                    ..draft("J", "x", None)
                },
                "matter_id",
            ),
            (draft(" ", "x", None), "author"),
            (draft(&long_author, "x", None), "author"),
            (draft("J\nK", "x", None), "author"),
            (draft("J", " \n ", None), "body"),
            (draft("J", &long_body, None), "body"),
            (draft("J", "a\u{7}b", None), "body"),
            (draft("J", "x", Some("yesterday")), "sent_at"),
            (draft("J", "x", Some("2026-02-30T10:00:00Z")), "sent_at"),
        ] {
            let e = d.validate(now()).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
        // The limits themselves are allowed.
        let v = draft(&"a".repeat(AUTHOR_MAX), &"b".repeat(BODY_MAX), None)
            .validate(now())
            .unwrap();
        assert_eq!(v.body.chars().count(), BODY_MAX);
    }

    proptest! {
        /// The stored form sorts as text in the same order as the instants.
        #[test]
        fn stored_form_sorts_like_time(a in 0i64..4_000_000_000_000, b in 0i64..4_000_000_000_000) {
            let t = |ms: i64| Timestamp::from_millisecond(ms).unwrap();
            let (sa, sb) = (format_sent_at(t(a)), format_sent_at(t(b)));
            prop_assert_eq!(a.cmp(&b), sa.cmp(&sb));
            prop_assert_eq!(format_sent_at(parse_sent_at(&sa).unwrap()), sa);
        }
    }
}
