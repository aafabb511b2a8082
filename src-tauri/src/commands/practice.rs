//! Provider, party, consent and assignment commands. Each calls one store
//! function; after a write it emits a change event with the item's id so open
//! views refetch. The window always acts as the firm: provider-side moves arrive
//! through sync (or the provider's own app), never from this window.

use mandate_core::{
    Assignment, AssignmentDraft, AssignmentFilter, AssignmentPage, AssignmentPatch,
    AssignmentStatus, Consent, ConsentDraft, ConsentFilter, ConsentPatch, Error, MatterParty,
    MatterPartyDraft, Message, MessageCursor, MessageDraft, MessagePage, Party, PartyDraft,
    PartyFilter, PartyPage, PartyPatch, PartyRole, Provider, ProviderDraft, ProviderFilter,
    ProviderPage, ProviderPatch, Side,
};
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

pub const PROVIDER_CHANGED: &str = "provider-changed";
pub const PARTY_CHANGED: &str = "party-changed";
/// Carries the matter's id, so the matter's party list refetches.
pub const MATTER_PARTY_CHANGED: &str = "matter-party-changed";
pub const CONSENT_CHANGED: &str = "consent-changed";
pub const ASSIGNMENT_CHANGED: &str = "assignment-changed";
/// Carries the matter's id, so that matter's messages refetch.
pub const MESSAGE_CHANGED: &str = "message-changed";

// -- providers --

#[tauri::command]
pub async fn provider_list(
    state: State<'_, AppState>,
    filter: ProviderFilter,
) -> Result<ProviderPage, Error> {
    with_store(&state, move |s| s.list_providers(&filter)).await
}

#[tauri::command]
pub async fn provider_get(state: State<'_, AppState>, id: String) -> Result<Provider, Error> {
    with_store(&state, move |s| s.provider(&id)).await
}

#[tauri::command]
pub async fn provider_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ProviderDraft,
) -> Result<Provider, Error> {
    let p = with_store(&state, move |s| s.create_provider(&draft)).await?;
    let _ = app.emit(PROVIDER_CHANGED, &p.id);
    Ok(p)
}

#[tauri::command]
pub async fn provider_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    patch: ProviderPatch,
) -> Result<Provider, Error> {
    let p = with_store(&state, move |s| s.update_provider(&id, &patch)).await?;
    let _ = app.emit(PROVIDER_CHANGED, &p.id);
    Ok(p)
}

// -- parties --

#[tauri::command]
pub async fn party_list(
    state: State<'_, AppState>,
    filter: PartyFilter,
) -> Result<PartyPage, Error> {
    with_store(&state, move |s| s.list_parties(&filter)).await
}

#[tauri::command]
pub async fn party_get(state: State<'_, AppState>, id: String) -> Result<Party, Error> {
    with_store(&state, move |s| s.party(&id)).await
}

#[tauri::command]
pub async fn party_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: PartyDraft,
) -> Result<Party, Error> {
    let p = with_store(&state, move |s| s.create_party(&draft)).await?;
    let _ = app.emit(PARTY_CHANGED, &p.id);
    Ok(p)
}

#[tauri::command]
pub async fn party_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    patch: PartyPatch,
) -> Result<Party, Error> {
    let p = with_store(&state, move |s| s.update_party(&id, &patch)).await?;
    let _ = app.emit(PARTY_CHANGED, &p.id);
    Ok(p)
}

// -- matter parties --

#[tauri::command]
pub async fn matter_party_list(
    state: State<'_, AppState>,
    matter_id: String,
) -> Result<Vec<MatterParty>, Error> {
    with_store(&state, move |s| s.matter_parties(&matter_id)).await
}

#[tauri::command]
pub async fn matter_party_get(
    state: State<'_, AppState>,
    id: String,
) -> Result<MatterParty, Error> {
    with_store(&state, move |s| s.matter_party(&id)).await
}

#[tauri::command]
pub async fn matter_party_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: MatterPartyDraft,
) -> Result<MatterParty, Error> {
    let l = with_store(&state, move |s| s.link_party(&draft)).await?;
    let _ = app.emit(MATTER_PARTY_CHANGED, &l.matter_id);
    Ok(l)
}

#[tauri::command]
pub async fn matter_party_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    role: PartyRole,
) -> Result<MatterParty, Error> {
    let l = with_store(&state, move |s| s.update_matter_party(&id, role)).await?;
    let _ = app.emit(MATTER_PARTY_CHANGED, &l.matter_id);
    Ok(l)
}

// -- consents --

#[tauri::command]
pub async fn consent_list(
    state: State<'_, AppState>,
    filter: ConsentFilter,
) -> Result<Vec<Consent>, Error> {
    with_store(&state, move |s| s.list_consents(&filter)).await
}

#[tauri::command]
pub async fn consent_get(state: State<'_, AppState>, id: String) -> Result<Consent, Error> {
    with_store(&state, move |s| s.consent(&id)).await
}

#[tauri::command]
pub async fn consent_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ConsentDraft,
) -> Result<Consent, Error> {
    let c = with_store(&state, move |s| {
        s.create_consent(&draft, jiff::ZonedDateTime::now().date())
    })
    .await?;
    let _ = app.emit(CONSENT_CHANGED, &c.id);
    Ok(c)
}

#[tauri::command]
pub async fn consent_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    patch: ConsentPatch,
) -> Result<Consent, Error> {
    let c = with_store(&state, move |s| {
        s.update_consent(&id, &patch, jiff::ZonedDateTime::now().date())
    })
    .await?;
    let _ = app.emit(CONSENT_CHANGED, &c.id);
    Ok(c)
}

// -- assignments --

#[tauri::command]
pub async fn assignment_list(
    state: State<'_, AppState>,
    filter: AssignmentFilter,
) -> Result<AssignmentPage, Error> {
    with_store(&state, move |s| s.list_assignments(&filter)).await
}

#[tauri::command]
pub async fn assignment_get(state: State<'_, AppState>, id: String) -> Result<Assignment, Error> {
    with_store(&state, move |s| s.assignment(&id)).await
}

#[tauri::command]
pub async fn assignment_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: AssignmentDraft,
) -> Result<Assignment, Error> {
    let a = with_store(&state, move |s| s.create_assignment(&draft)).await?;
    let _ = app.emit(ASSIGNMENT_CHANGED, &a.id);
    Ok(a)
}

#[tauri::command]
pub async fn assignment_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    patch: AssignmentPatch,
) -> Result<Assignment, Error> {
    let a = with_store(&state, move |s| s.update_assignment(&id, &patch)).await?;
    let _ = app.emit(ASSIGNMENT_CHANGED, &a.id);
    Ok(a)
}

/// Moves an assignment as the firm; the state machine refuses provider moves.
#[tauri::command]
pub async fn assignment_move(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    to: AssignmentStatus,
) -> Result<Assignment, Error> {
    let a = with_store(&state, move |s| s.move_assignment(&id, to, Side::Firm)).await?;
    let _ = app.emit(ASSIGNMENT_CHANGED, &a.id);
    Ok(a)
}

/// The statuses the firm may move an assignment to from `from`: the window offers
/// one button for each, so the rule stays in `mandate_core::transition`.
#[tauri::command]
pub fn assignment_next_states(from: AssignmentStatus) -> Vec<AssignmentStatus> {
    mandate_core::assignment::next_states(from, Side::Firm)
}

#[tauri::command]
pub async fn assignment_history(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<mandate_store::AuditRecord>, Error> {
    with_store(&state, move |s| s.audit_history("assignment", &id)).await
}

// -- messages --

/// A page of the matter's messages, newest first, older than `before` if given.
#[tauri::command]
pub async fn message_list(
    state: State<'_, AppState>,
    matter_id: String,
    before: Option<MessageCursor>,
    limit: Option<u32>,
) -> Result<MessagePage, Error> {
    with_store(&state, move |s| {
        s.messages(&matter_id, before.as_ref(), limit)
    })
    .await
}

#[tauri::command]
pub async fn message_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: MessageDraft,
) -> Result<Message, Error> {
    let m = with_store(&state, move |s| s.add_message(&draft)).await?;
    let _ = app.emit(MESSAGE_CHANGED, &m.matter_id);
    Ok(m)
}

// -- diligence and conflicts --

/// The provider's diligence checklist (the factors of Model Rule 5.3 comment 3,
/// checked or open, and the firm's own checks) and where its re-review stands.
#[tauri::command]
pub async fn provider_diligence(
    state: State<'_, AppState>,
    id: String,
) -> Result<mandate_core::provider::DiligenceStatus, Error> {
    let today = super::today().to_string();
    with_store(&state, move |s| {
        let p = s.provider(&id)?;
        Ok(mandate_core::provider::DiligenceStatus::of(&p, &today))
    })
    .await
}

/// The re-review reminders: providers whose diligence review is past or coming.
#[tauri::command]
pub async fn provider_reviews_due(
    state: State<'_, AppState>,
) -> Result<Vec<mandate_core::provider::ReviewReminder>, Error> {
    let today = super::today().to_string();
    with_store(&state, move |s| s.provider_reviews_due(&today)).await
}

/// The newest conflict check of a matter against a provider (or the firm's other
/// matters, with no provider), if one was run.
#[tauri::command]
pub async fn conflict_check_latest(
    state: State<'_, AppState>,
    matter_id: String,
    provider_id: Option<String>,
) -> Result<Option<mandate_core::conflict::ConflictCheck>, Error> {
    with_store(&state, move |s| {
        s.latest_conflict_check(&matter_id, provider_id.as_deref())
    })
    .await
}

/// Runs and records a conflict check; the person at the desk is its author.
#[tauri::command]
pub async fn conflict_check_run(
    app: AppHandle,
    state: State<'_, AppState>,
    matter_id: String,
    provider_id: Option<String>,
) -> Result<mandate_core::conflict::ConflictCheck, Error> {
    let check = with_store(&state, move |s| {
        s.run_conflict_check(&matter_id, provider_id.as_deref())
    })
    .await?;
    let _ = app.emit(ASSIGNMENT_CHANGED, &check.matter_id);
    Ok(check)
}

/// Clears match `index` (from 1) of a check, with why it is not a conflict.
#[tauri::command]
pub async fn conflict_match_clear(
    app: AppHandle,
    state: State<'_, AppState>,
    check_id: String,
    index: u32,
    note: String,
) -> Result<mandate_core::conflict::ConflictCheck, Error> {
    let check = with_store(&state, move |s| {
        s.clear_conflict_match(&check_id, index as usize, &note)
    })
    .await?;
    let _ = app.emit(ASSIGNMENT_CHANGED, &check.matter_id);
    Ok(check)
}
