//! Message commands: a matter's messages, newest first.

use mandate_core::{Error, Message, MessageCursor, MessageDraft, MessagePage};
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;

/// Carries the matter's id, so that matter's messages refetch.
pub const MESSAGE_CHANGED: &str = "message-changed";

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
