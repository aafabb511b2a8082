//! Who may write what. Each item has one owning side, so the two sides never edit the
//! same thing and sync needs no merge: the firm owns what it hands over (the brief,
//! the documents it sends, the deadlines the provider must meet); the provider owns
//! what it hands back (deliverables); a message belongs to its author and is never
//! edited; a status move is likewise an event of its own, never edited, and the
//! receiver applies it only if the assignment's state machine (`mandate-core`) gives
//! that move to the sender's side.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::envelope::{Header, Rejection};

/// The side of an engagement a device acts for. A receiver decides a sender's side
/// from the channel (the channel's opener is the firm), never from what the sender
/// says of itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Firm,
    Provider,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Firm => "firm",
            Side::Provider => "provider",
        })
    }
}

/// What an envelope carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The assignment's scope and instructions (firm).
    Brief,
    /// A document version the firm sends (firm).
    Document,
    /// A deadline the provider must meet (firm).
    Deadline,
    /// A file the provider returns (provider).
    Deliverable,
    /// A move of the assignment's state (the provider accepts, starts, delivers; the
    /// firm approves, asks for a revision, cancels); append-only, one item per move.
    Status,
    /// A message; its author's, append-only.
    Message,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::Brief,
        ItemKind::Document,
        ItemKind::Deadline,
        ItemKind::Deliverable,
        ItemKind::Status,
        ItemKind::Message,
    ];

    /// The side that owns items of this kind; `None` for messages and status moves,
    /// which belong to whoever made them and are never changed.
    pub fn owner(self) -> Option<Side> {
        match self {
            ItemKind::Brief | ItemKind::Document | ItemKind::Deadline => Some(Side::Firm),
            ItemKind::Deliverable => Some(Side::Provider),
            ItemKind::Message | ItemKind::Status => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Brief => "brief",
            ItemKind::Document => "document",
            ItemKind::Deadline => "deadline",
            ItemKind::Deliverable => "deliverable",
            ItemKind::Status => "status",
            ItemKind::Message => "message",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a receiver may apply `header` from a sender acting for `sender_side`,
/// given the revision of the same item it already holds (`None`: it holds none).
pub fn check_acceptable(
    header: &Header,
    sender_side: Side,
    held_revision: Option<u64>,
) -> Result<(), Rejection> {
    if let Some(owner) = header.kind.owner() {
        if owner != sender_side {
            return Err(Rejection::NotOwner {
                kind: header.kind,
                sender_side,
            });
        }
    } else if held_revision.is_some() || header.revision != 1 {
        return Err(Rejection::MessageEdited {
            item: header.item.clone(),
        });
    }
    if header.revision == 0 || held_revision.is_some_and(|held| header.revision <= held) {
        return Err(Rejection::StaleRevision {
            item: header.item.clone(),
            revision: header.revision,
            held: held_revision.unwrap_or(0),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header(kind: ItemKind, revision: u64) -> Header {
        Header {
            v: 1,
            envelope: "e1".into(),
            channel: "c1".into(),
            item: "i1".into(),
            kind,
            revision,
            sender: crate::KeyId("0011223344556677".into()),
            created: 0,
        }
    }

    fn side() -> impl Strategy<Value = Side> {
        prop_oneof![Just(Side::Firm), Just(Side::Provider)]
    }

    fn kind() -> impl Strategy<Value = ItemKind> {
        proptest::sample::select(ItemKind::ALL.to_vec())
    }

    proptest! {
        /// The rule, restated independently: an owned kind goes only from its owner
        /// and only forward; a message only once, at revision 1.
        #[test]
        fn acceptance_is_ownership_and_forward_revisions(
            kind in kind(), side in side(), revision in 0u64..5, held in proptest::option::of(0u64..5),
        ) {
            let ok = check_acceptable(&header(kind, revision), side, held).is_ok();
            let expected = match kind {
                ItemKind::Message | ItemKind::Status => held.is_none() && revision == 1,
                _ => kind.owner() == Some(side) && revision > held.unwrap_or(0),
            };
            prop_assert_eq!(ok, expected);
        }
    }

    #[test]
    fn provider_cannot_rewrite_the_brief_and_firm_cannot_deliver() {
        let err = check_acceptable(&header(ItemKind::Brief, 2), Side::Provider, Some(1));
        assert!(matches!(err, Err(Rejection::NotOwner { .. })));
        let err = check_acceptable(&header(ItemKind::Deliverable, 1), Side::Firm, None);
        assert!(matches!(err, Err(Rejection::NotOwner { .. })));
        assert!(check_acceptable(&header(ItemKind::Message, 1), Side::Provider, None).is_ok());
        assert!(check_acceptable(&header(ItemKind::Message, 1), Side::Firm, Some(1)).is_err());
    }
}
