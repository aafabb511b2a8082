//! Matter commands.

use mandate_core::{Error, Matter, MatterDraft, MatterFilter, MatterPage, MatterPatch};
use mandate_store::AuditRecord;
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

/// Emitted after every write, with the changed matter's id, so open views refetch.
pub const MATTER_CHANGED: &str = "matter-changed";

#[tauri::command]
pub async fn matter_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: MatterDraft,
) -> Result<Matter, Error> {
    // Opening a matter also checks its names against the firm's other matters; the
    // Parties tab shows what that check found.
    let (m, _check) = with_store(&state, move |s| s.open_matter(&draft)).await?;
    let _ = app.emit(MATTER_CHANGED, &m.id);
    Ok(m)
}

#[tauri::command]
pub async fn matter_list(
    state: State<'_, AppState>,
    filter: MatterFilter,
) -> Result<MatterPage, Error> {
    with_store(&state, move |s| s.list_matters(&filter)).await
}

#[tauri::command]
pub async fn matter_get(state: State<'_, AppState>, id: String) -> Result<Matter, Error> {
    with_store(&state, move |s| s.matter(&id)).await
}

#[tauri::command]
pub async fn matter_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    patch: MatterPatch,
) -> Result<Matter, Error> {
    let m = with_store(&state, move |s| s.update_matter(&id, &patch)).await?;
    let _ = app.emit(MATTER_CHANGED, &m.id);
    Ok(m)
}

#[tauri::command]
pub async fn matter_history(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<AuditRecord>, Error> {
    with_store(&state, move |s| s.matter_history(&id)).await
}

/// Searches matters, parties, providers and messages at once (Ctrl+K).
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
) -> Result<mandate_core::SearchResults, Error> {
    with_store(&state, move |s| s.search(&query, 8)).await
}
