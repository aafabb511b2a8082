//! Provider commands: the provider file, its diligence and re-review, and the
//! conflict check against a provider's declared conflicts. Each calls the store;
//! after a write it emits a change event with the item's id so open views refetch.

use mandate_core::{Error, Provider, ProviderDraft, ProviderFilter, ProviderPage, ProviderPatch};
use tauri::{AppHandle, Emitter, State};

use super::assignments::ASSIGNMENT_CHANGED;
use super::with_store;
use crate::AppState;

pub const PROVIDER_CHANGED: &str = "provider-changed";

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
