//! Party commands: the people and organisations the firm records, and their roles
//! in a matter. After a write each emits a change event so open views refetch.

use mandate_core::{
    Error, MatterParty, MatterPartyDraft, Party, PartyDraft, PartyFilter, PartyPage, PartyPatch,
    PartyRole,
};
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

pub const PARTY_CHANGED: &str = "party-changed";
/// Carries the matter's id, so the matter's party list refetches.
pub const MATTER_PARTY_CHANGED: &str = "matter-party-changed";

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
