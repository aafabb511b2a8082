//! Assignment commands: the work ordered from a provider and its state machine.
//! The window always acts as the firm: provider-side moves arrive through sync
//! (or the provider's own app), never from this window.

use mandate_core::{
    Assignment, AssignmentDraft, AssignmentFilter, AssignmentPage, AssignmentPatch,
    AssignmentStatus, Error, Side,
};
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

pub const ASSIGNMENT_CHANGED: &str = "assignment-changed";

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
