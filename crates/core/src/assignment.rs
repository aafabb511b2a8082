//! Assignments: work orders sent to a provider on a matter, and the state machine
//! their status follows.
//!
//! An assignment is the unit of sharing with a provider. The firm owns the work
//! order itself (scope, instructions, budget); each status move is owned by one
//! side, so once sync arrives the two sides can never make conflicting moves:
//!
//! ```text
//! draft ─send(F)→ sent ─accept(P)→ accepted ─start(P)→ in_progress ─deliver(P)→ delivered
//!   delivered ─start review(F)→ under_review ─approve(F)→ approved
//!                                under_review ─request revision(F)→ revision_requested
//!   revision_requested ─resume(P)→ in_progress
//!   any state but approved / cancelled ─cancel(F)→ cancelled
//! ```

use crate::ids::{AssignmentId, MatterId, ProviderId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates::parse_date;
use crate::error::{Error, ErrorCode, Result};
use crate::fields::TEXT_MAX;
use crate::fields::{LONG_TEXT_MAX, clean_long, currency, optional, required};
use crate::money::Money;

/// Which side of an engagement acts: the firm that sends the work, or the
/// provider that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Firm,
    Provider,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Firm => "firm",
            Self::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "firm" => Ok(Self::Firm),
            "provider" => Ok(Self::Provider),
            other => Err(Error::invalid(
                "side",
                format!("Unknown side \"{other}\": use firm or provider."),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    Draft,
    Sent,
    Accepted,
    InProgress,
    Delivered,
    UnderReview,
    Approved,
    RevisionRequested,
    Cancelled,
}

impl AssignmentStatus {
    pub const ALL: [Self; 9] = [
        Self::Draft,
        Self::Sent,
        Self::Accepted,
        Self::InProgress,
        Self::Delivered,
        Self::UnderReview,
        Self::Approved,
        Self::RevisionRequested,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::InProgress => "in_progress",
            Self::Delivered => "delivered",
            Self::UnderReview => "under_review",
            Self::Approved => "approved",
            Self::RevisionRequested => "revision_requested",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().replace('-', "_");
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "status",
                format!(
                    "Unknown assignment status \"{s}\": use draft, sent, accepted, in_progress, delivered, under_review, approved, revision_requested or cancelled."
                ),
            )
        })
    }

    /// Approved and cancelled assignments are closed: nothing moves them again.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Cancelled)
    }
}

/// The side that owns the move `from → to`, or `None` when there is no such move.
pub fn move_owner(from: AssignmentStatus, to: AssignmentStatus) -> Option<Side> {
    use AssignmentStatus as S;
    match (from, to) {
        (S::Draft, S::Sent)
        | (S::Delivered, S::UnderReview)
        | (S::UnderReview, S::Approved)
        | (S::UnderReview, S::RevisionRequested) => Some(Side::Firm),
        (S::Sent, S::Accepted)
        | (S::Accepted, S::InProgress)
        | (S::InProgress, S::Delivered)
        | (S::RevisionRequested, S::InProgress) => Some(Side::Provider),
        (from, S::Cancelled) if !from.is_final() => Some(Side::Firm),
        _ => None,
    }
}

/// The moves open from `from`, each with the side that may make it.
pub fn moves_from(from: AssignmentStatus) -> Vec<(AssignmentStatus, Side)> {
    AssignmentStatus::ALL
        .into_iter()
        .filter_map(|to| move_owner(from, to).map(|side| (to, side)))
        .collect()
}

/// The statuses `side` may move an assignment to from `from`, in the order of
/// [`AssignmentStatus::ALL`] (the window offers one button for each).
pub fn next_states(from: AssignmentStatus, side: Side) -> Vec<AssignmentStatus> {
    moves_from(from)
        .into_iter()
        .filter(|(_, s)| *s == side)
        .map(|(to, _)| to)
        .collect()
}

/// Moves an assignment from `from` to `to` on behalf of `side`. Returns the new
/// status, or says why the move is refused: no such move from this status, or
/// the move belongs to the other side.
pub fn transition(
    from: AssignmentStatus,
    to: AssignmentStatus,
    side: Side,
) -> Result<AssignmentStatus> {
    match move_owner(from, to) {
        Some(owner) if owner == side => Ok(to),
        Some(owner) => Err(Error {
            code: ErrorCode::NotAllowed,
            message: format!(
                "Only the {} may move an assignment from {} to {}; the {} cannot.",
                owner.as_str(),
                from.as_str(),
                to.as_str(),
                side.as_str()
            ),
            field: Some("status".into()),
        }),
        None => {
            let open: Vec<String> = moves_from(from)
                .into_iter()
                .filter(|(_, s)| *s == side)
                .map(|(to, _)| to.as_str().to_owned())
                .collect();
            let hint = if from.is_final() {
                format!("{} is final; nothing can move it.", from.as_str())
            } else if open.is_empty() {
                format!(
                    "The {} has no move from {}; it waits for the other side.",
                    side.as_str(),
                    from.as_str()
                )
            } else {
                format!(
                    "From {} the {} may move it to: {}.",
                    from.as_str(),
                    side.as_str(),
                    open.join(", ")
                )
            };
            Err(Error {
                code: ErrorCode::NotAllowed,
                message: format!(
                    "An assignment cannot move from {} to {}. {hint}",
                    from.as_str(),
                    to.as_str()
                ),
                field: Some("status".into()),
            })
        }
    }
}

/// How the provider's work is charged to the client: passed through at cost, or
/// billed as the firm's fee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BillingMode {
    #[default]
    Cost,
    Fee,
}

impl BillingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cost => "cost",
            Self::Fee => "fee",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "cost" => Ok(Self::Cost),
            "fee" => Ok(Self::Fee),
            other => Err(Error::invalid(
                "billing_mode",
                format!("Unknown billing mode \"{other}\": use cost or fee."),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Assignment {
    /// Stable id (UUID v7), the same on the firm's and the provider's machines.
    pub id: AssignmentId,
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    /// What is to be done, in a line ("First-level review of 12,000 emails").
    pub scope: String,
    pub instructions: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// The budget, in its currency's minor unit and as a person reads it.
    pub budget: Option<Money>,
    pub billing_mode: BillingMode,
    /// The attorney who supervises the work and signs it off.
    pub supervising_attorney: String,
    pub status: AssignmentStatus,
    /// The side that owns the work order itself (always the firm today).
    pub owner: Side,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentDraft {
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    pub scope: String,
    #[serde(default)]
    #[ts(optional)]
    pub instructions: Option<String>,
    pub due_on: String,
    /// The budget as written in its currency's major units ("12,000.50", "150000"
    /// for yen); Rust reads it with the currency's own number of decimals.
    #[serde(default)]
    #[ts(optional)]
    pub budget: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub budget_currency: Option<String>,
    #[serde(default)]
    #[ts(optional, as = "Option<BillingMode>")]
    pub billing_mode: BillingMode,
    pub supervising_attorney: String,
}

/// A change to the work order's terms (not its status: see [`transition`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentPatch {
    #[serde(default)]
    #[ts(optional)]
    pub scope: Option<String>,
    /// `null` clears the instructions.
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub instructions: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub due_on: Option<String>,
    /// Absent: the budget stays; `null`: the budget is removed; an amount (as in
    /// [`AssignmentDraft::budget`]): the new budget.
    #[serde(default, deserialize_with = "crate::fields::present")]
    #[ts(optional, type = "string | null")]
    pub budget: Option<Option<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub budget_currency: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub billing_mode: Option<BillingMode>,
    #[serde(default)]
    #[ts(optional)]
    pub supervising_attorney: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentFilter {
    #[serde(default)]
    #[ts(optional)]
    pub matter_id: Option<MatterId>,
    #[serde(default)]
    #[ts(optional)]
    pub provider_id: Option<ProviderId>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<AssignmentStatus>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentPage {
    pub items: Vec<Assignment>,
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAssignment {
    pub scope: String,
    pub instructions: Option<String>,
    pub due_on: Date,
    pub budget: Option<Money>,
    pub billing_mode: BillingMode,
    pub supervising_attorney: String,
}

impl AssignmentDraft {
    pub fn validate(&self) -> Result<ValidAssignment> {
        if self.matter_id.trim().is_empty() {
            return Err(Error::invalid(
                "matter_id",
                "Choose the matter the work is for.",
            ));
        }
        if self.provider_id.trim().is_empty() {
            return Err(Error::invalid(
                "provider_id",
                "Choose the provider who will do the work.",
            ));
        }
        let scope = required("scope", "what the provider is to do", &self.scope, TEXT_MAX)?;
        let instructions = clean_long(
            "instructions",
            self.instructions.as_deref().unwrap_or(""),
            LONG_TEXT_MAX,
        )?;
        if self.due_on.trim().is_empty() {
            return Err(Error::invalid("due_on", "Enter the date the work is due."));
        }
        let due_on = parse_date("due_on", &self.due_on)?;
        let currency_given = optional("budget_currency", self.budget_currency.as_deref(), 3)
            .map_err(|_| bad_currency(self.budget_currency.as_deref().unwrap_or("")))?;
        let written = self
            .budget
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty());
        let budget = match (written, currency_given) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "budget",
                    "A currency is given but no budget: enter the budget, or remove the currency.",
                ));
            }
            (Some(_), None) => {
                return Err(Error::invalid(
                    "budget_currency",
                    "Enter the budget's currency (e.g. USD).",
                ));
            }
            (Some(b), Some(cur)) => Some(Money::parse(
                "budget",
                b,
                &currency("budget_currency", &cur)?,
            )?),
        };
        let supervising_attorney = required(
            "supervising_attorney",
            "the name of the attorney who supervises this work",
            &self.supervising_attorney,
            TEXT_MAX,
        )?;
        Ok(ValidAssignment {
            scope,
            instructions,
            due_on,
            budget,
            billing_mode: self.billing_mode,
            supervising_attorney,
        })
    }
}

fn bad_currency(raw: &str) -> Error {
    Error::invalid(
        "budget_currency",
        format!(
            "\"{}\" is not an ISO 4217 currency code: use three letters, e.g. USD.",
            raw.trim()
        ),
    )
}

impl AssignmentPatch {
    /// Applies the patch and validates the result. Closed work orders (approved or
    /// cancelled) keep their terms as they were.
    pub fn apply(&self, a: &Assignment) -> Result<ValidAssignment> {
        if a.status.is_final() {
            return Err(Error {
                code: ErrorCode::NotAllowed,
                message: format!(
                    "This assignment is {} and can no longer be changed; create a new one for further work.",
                    a.status.as_str()
                ),
                field: None,
            });
        }
        let held_currency = || a.budget.as_ref().map(|m| m.currency.clone());
        let (budget, budget_currency) = match &self.budget {
            Some(None) => (None, None),
            Some(Some(written)) => (
                Some(written.clone()),
                self.budget_currency.clone().or_else(held_currency),
            ),
            None => (
                a.budget.as_ref().map(|m| m.amount.clone()),
                self.budget_currency.clone().or_else(held_currency),
            ),
        };
        AssignmentDraft {
            matter_id: a.matter_id.clone(),
            provider_id: a.provider_id.clone(),
            scope: self.scope.clone().unwrap_or_else(|| a.scope.clone()),
            instructions: crate::fields::patched(&self.instructions, &a.instructions),
            due_on: self.due_on.clone().unwrap_or_else(|| a.due_on.clone()),
            budget,
            budget_currency,
            billing_mode: self.billing_mode.unwrap_or(a.billing_mode),
            supervising_attorney: self
                .supervising_attorney
                .clone()
                .unwrap_or_else(|| a.supervising_attorney.clone()),
        }
        .validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentStatus as S;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_alternates_between_the_sides() {
        let path = [
            (S::Sent, Side::Firm),
            (S::Accepted, Side::Provider),
            (S::InProgress, Side::Provider),
            (S::Delivered, Side::Provider),
            (S::UnderReview, Side::Firm),
            (S::RevisionRequested, Side::Firm),
            (S::InProgress, Side::Provider),
            (S::Delivered, Side::Provider),
            (S::UnderReview, Side::Firm),
            (S::Approved, Side::Firm),
        ];
        let mut s = S::Draft;
        for (to, side) in path {
            s = transition(s, to, side).unwrap();
        }
        assert_eq!(s, S::Approved);
    }

    #[test]
    fn the_wrong_side_is_refused_and_told_who_may() {
        let e = transition(S::Sent, S::Accepted, Side::Firm).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAllowed);
        assert!(e.message.contains("Only the provider"), "{}", e.message);
        let e = transition(S::UnderReview, S::Approved, Side::Provider).unwrap_err();
        assert!(e.message.contains("Only the firm"), "{}", e.message);
        let e = transition(S::InProgress, S::Cancelled, Side::Provider).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAllowed);
    }

    #[test]
    fn impossible_moves_say_what_is_possible() {
        let e = transition(S::Draft, S::Approved, Side::Firm).unwrap_err();
        assert!(e.message.contains("sent, cancelled"), "{}", e.message);
        let e = transition(S::Approved, S::Cancelled, Side::Firm).unwrap_err();
        assert!(e.message.contains("final"), "{}", e.message);
        let e = transition(S::Draft, S::Draft, Side::Firm).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAllowed);
    }

    #[test]
    fn every_non_final_status_can_be_cancelled_by_the_firm_only() {
        for s in S::ALL {
            let r = transition(s, S::Cancelled, Side::Firm);
            assert_eq!(r.is_ok(), !s.is_final(), "{s:?}");
            assert!(transition(s, S::Cancelled, Side::Provider).is_err());
        }
    }

    #[test]
    fn next_states_are_exactly_the_moves_transition_allows() {
        assert_eq!(next_states(S::Draft, Side::Firm), [S::Sent, S::Cancelled]);
        assert_eq!(next_states(S::Sent, Side::Firm), [S::Cancelled]);
        assert_eq!(next_states(S::Sent, Side::Provider), [S::Accepted]);
        assert_eq!(
            next_states(S::UnderReview, Side::Firm),
            [S::Approved, S::RevisionRequested, S::Cancelled]
        );
        for from in S::ALL {
            for side in [Side::Firm, Side::Provider] {
                let offered = next_states(from, side);
                for to in S::ALL {
                    assert_eq!(
                        offered.contains(&to),
                        transition(from, to, side).is_ok(),
                        "{from:?} -> {to:?} as {side:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn statuses_parse_and_serialize_alike() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()).unwrap(), s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(S::parse("in-progress").unwrap(), S::InProgress);
    }

    #[test]
    fn a_patch_tells_keep_clear_and_set_apart() {
        let read = |json: &str| {
            serde_json::from_str::<AssignmentPatch>(json)
                .unwrap()
                .budget
        };
        assert_eq!(read("{}"), None, "absent: the budget stays");
        assert_eq!(read(r#"{"budget": null}"#), Some(None), "null: removed");
        assert_eq!(read(r#"{"budget": "12.50"}"#), Some(Some("12.50".into())));
    }

    fn draft() -> AssignmentDraft {
        AssignmentDraft {
            matter_id: "m".into(),
            provider_id: "p".into(),
            scope: "Review".into(),
            due_on: "2026-04-01".into(),
            budget: Some("5,000".into()),
            budget_currency: Some("usd".into()),
            supervising_attorney: "J. Smith".into(),
            ..Default::default()
        }
    }

    #[test]
    fn drafts_name_the_field_that_is_wrong() {
        assert_eq!(
            draft().validate().unwrap().budget,
            Some(Money::new(500_000, "USD").unwrap())
        );
        // A yen has no minor unit: 150,000 yen are 150,000 units, not 15,000,000.
        let yen = AssignmentDraft {
            budget: Some("150000".into()),
            budget_currency: Some("JPY".into()),
            ..draft()
        };
        assert_eq!(yen.validate().unwrap().budget.unwrap().minor, 150_000);
        for (d, field) in [
            (
                AssignmentDraft {
                    scope: "".into(),
                    ..draft()
                },
                "scope",
            ),
            (
                AssignmentDraft {
                    due_on: "".into(),
                    ..draft()
                },
                "due_on",
            ),
            (
                AssignmentDraft {
                    due_on: "2026-04-31".into(),
                    ..draft()
                },
                "due_on",
            ),
            (
                AssignmentDraft {
                    budget: Some("-5".into()),
                    ..draft()
                },
                "budget",
            ),
            (
                AssignmentDraft {
                    budget_currency: None,
                    ..draft()
                },
                "budget_currency",
            ),
            (
                AssignmentDraft {
                    budget_currency: Some("dollars".into()),
                    ..draft()
                },
                "budget_currency",
            ),
            (
                AssignmentDraft {
                    budget: None,
                    ..draft()
                },
                "budget",
            ),
            (
                AssignmentDraft {
                    supervising_attorney: " ".into(),
                    ..draft()
                },
                "supervising_attorney",
            ),
            (
                AssignmentDraft {
                    instructions: Some("i".repeat(LONG_TEXT_MAX + 1)),
                    ..draft()
                },
                "instructions",
            ),
        ] {
            let e = d.validate().unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
    }

    fn status() -> impl Strategy<Value = AssignmentStatus> {
        proptest::sample::select(S::ALL.to_vec())
    }

    fn side() -> impl Strategy<Value = Side> {
        prop_oneof![Just(Side::Firm), Just(Side::Provider)]
    }

    proptest! {
        /// Each move is owned by exactly one side: if one side may make it, the
        /// other is refused; and a move either succeeds with `to` or fails.
        #[test]
        fn only_the_owning_side_can_make_a_move(from in status(), to in status()) {
            let firm = transition(from, to, Side::Firm);
            let provider = transition(from, to, Side::Provider);
            prop_assert!(!(firm.is_ok() && provider.is_ok()));
            for r in [&firm, &provider] {
                match r {
                    Ok(s) => prop_assert_eq!(*s, to),
                    Err(e) => {
                        prop_assert_eq!(e.code, ErrorCode::NotAllowed);
                        prop_assert_eq!(e.field.as_deref(), Some("status"));
                    }
                }
            }
        }

        /// Applying attempts in any order, a refused attempt leaves the status
        /// unchanged, and nothing ever leaves a final status.
        #[test]
        fn refusals_change_nothing_and_final_states_stay_final(
            attempts in proptest::collection::vec((status(), side()), 0..40)
        ) {
            let mut s = S::Draft;
            for (to, who) in attempts {
                let before = s;
                match transition(s, to, who) {
                    Ok(next) => {
                        prop_assert!(!before.is_final(), "left final {before:?}");
                        prop_assert_eq!(move_owner(before, next), Some(who));
                        s = next;
                    }
                    Err(_) => prop_assert_eq!(s, before),
                }
            }
        }

        /// Any sequence of allowed moves: every status reached was reachable, and
        /// once approved or cancelled, no move is offered at all.
        #[test]
        fn no_allowed_sequence_leaves_a_final_state(picks in proptest::collection::vec(0usize..16, 0..40)) {
            let mut s = S::Draft;
            for p in picks {
                let moves = moves_from(s);
                if s.is_final() {
                    prop_assert!(moves.is_empty());
                    break;
                }
                prop_assert!(!moves.is_empty(), "{s:?} is a dead end");
                let (to, side) = moves[p % moves.len()];
                s = transition(s, to, side).unwrap();
            }
        }
    }
}
