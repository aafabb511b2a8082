//! Consent commands: what a client agreed may be outsourced, to whom and where.
//! After a write each emits a change event so open views refetch.

use mandate_core::{Consent, ConsentDraft, ConsentFilter, ConsentPatch, Error};
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

pub const CONSENT_CHANGED: &str = "consent-changed";

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
