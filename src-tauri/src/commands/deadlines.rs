//! Deadline commands, the export dialog, and the reminder loop.

use std::path::PathBuf;
use std::time::Duration;

use mandate_core::Error;
use mandate_core::deadline::{
    Dashboard, Deadline, DeadlineDraft, DeadlineFilter, DeadlineReminder, DeadlineSettings,
    MovedDeadline, RuleInfo, reminder_notices,
};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;

use super::with_store;
use crate::AppState;

/// Emitted after every deadline write, so open views refetch.
pub const DEADLINE_CHANGED: &str = "deadline-changed";
/// Emitted with the reminders just raised, so the window can show them too.
pub const REMINDERS: &str = "deadline-reminders";

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

#[tauri::command]
pub async fn deadline_rules(state: State<'_, AppState>) -> Result<Vec<RuleInfo>, Error> {
    with_store(&state, |s| Ok(s.deadline_rules())).await
}

#[tauri::command]
pub async fn deadline_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: DeadlineDraft,
) -> Result<Vec<Deadline>, Error> {
    let made = with_store(&state, move |s| s.create_deadlines(&draft)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(made)
}

#[tauri::command]
pub async fn deadline_list(
    state: State<'_, AppState>,
    filter: DeadlineFilter,
) -> Result<Vec<Deadline>, Error> {
    with_store(&state, move |s| s.list_deadlines(&filter)).await
}

#[tauri::command]
pub async fn deadline_get(state: State<'_, AppState>, id: String) -> Result<Deadline, Error> {
    with_store(&state, move |s| s.deadline(&id)).await
}

#[tauri::command]
pub async fn deadline_set_done(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    done: bool,
) -> Result<Deadline, Error> {
    let d = with_store(&state, move |s| s.set_deadline_done(&id, done)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(d)
}

#[tauri::command]
pub async fn deadline_move(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    trigger: String,
) -> Result<Vec<MovedDeadline>, Error> {
    let moved = with_store(&state, move |s| s.change_deadline_trigger(&id, &trigger)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(moved)
}

#[tauri::command]
pub async fn deadline_dashboard(state: State<'_, AppState>) -> Result<Dashboard, Error> {
    with_store(&state, |s| s.deadline_dashboard(today())).await
}

/// The reminders raised and not yet dismissed in the window.
#[tauri::command]
pub fn deadline_reminders(state: State<'_, AppState>) -> Vec<DeadlineReminder> {
    state
        .reminders
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default()
}

#[tauri::command]
pub fn deadline_reminders_dismiss(state: State<'_, AppState>) {
    if let Ok(mut r) = state.reminders.lock() {
        r.clear();
    }
}

/// Firm calendar files that could not be read, each naming the file and line.
#[tauri::command]
pub async fn deadline_calendar_problems(state: State<'_, AppState>) -> Result<Vec<String>, Error> {
    with_store(&state, |s| Ok(s.calendar_problems())).await
}

#[tauri::command]
pub async fn deadline_settings_get(state: State<'_, AppState>) -> Result<DeadlineSettings, Error> {
    with_store(&state, |s| s.deadline_settings()).await
}

#[tauri::command]
pub async fn deadline_settings_set(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: DeadlineSettings,
) -> Result<(), Error> {
    with_store(&state, move |s| s.set_deadline_settings(&settings)).await?;
    let _ = app.emit(DEADLINE_CHANGED, ());
    Ok(())
}

/// Where an export goes unless the person picks another place.
#[tauri::command]
pub fn deadline_export_default_path(app: AppHandle) -> String {
    let dir = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .unwrap_or_else(|_| PathBuf::from("."));
    dir.join("mandate-deadlines.ics").display().to_string()
}

/// Opens the native save dialog (in Rust, so the window never browses the disk)
/// and returns the chosen path, or nothing if the person cancelled.
#[tauri::command]
pub async fn deadline_export_choose(app: AppHandle) -> Result<Option<String>, Error> {
    tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Export deadlines")
            .add_filter("iCalendar", &["ics"])
            .set_file_name("mandate-deadlines.ics")
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string())
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))
}

/// Writes deadlines to an .ics file. Only an `.ics` path in an existing folder is
/// accepted: the window can name where a calendar goes, nothing else.
#[tauri::command]
pub async fn deadline_export(
    state: State<'_, AppState>,
    path: String,
    filter: DeadlineFilter,
    include_private: bool,
) -> Result<u32, Error> {
    let path = PathBuf::from(path.trim());
    if path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
        != Some("ics")
    {
        return Err(Error::invalid(
            "path",
            "Save the calendar as a file ending in .ics.",
        ));
    }
    if !path.parent().is_some_and(|p| p.is_dir()) {
        return Err(Error::invalid(
            "path",
            "That folder does not exist. Choose an existing folder.",
        ));
    }
    let ics = with_store(&state, move |s| {
        s.export_deadlines_ics(&filter, include_private, jiff::Timestamp::now())
    })
    .await?;
    let count = u32::try_from(ics.matches("BEGIN:VEVENT").count()).unwrap_or(u32::MAX);
    tauri::async_runtime::spawn_blocking(move || {
        mandate_store::write_file_atomically(&path, ics.as_bytes())
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))??;
    Ok(count)
}

/// Raises the reminders that are due, on the desktop and in the window, and
/// records them so each is raised once. Runs at start-up (which also catches the
/// ones that came due while Mandate was closed) and every minute after.
pub fn spawn_reminder_loop(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            let state = app.state::<AppState>();
            let due: Result<(Vec<DeadlineReminder>, bool), Error> = with_store(&state, |s| {
                let due = s.reminders_due(jiff::Timestamp::now())?;
                let titles = !due.is_empty() && s.deadline_settings()?.notification_titles;
                Ok((due, titles))
            })
            .await;
            if let Ok((due, titles)) = due {
                // Unless the firm turned titles on, no matter number, client or
                // deadline title: notifications can show on a locked screen.
                for n in reminder_notices(&due, titles) {
                    let _ = app
                        .notification()
                        .builder()
                        .title(n.title)
                        .body(n.body)
                        .show();
                }
                if !due.is_empty() {
                    if let Ok(mut shown) = state.reminders.lock() {
                        shown.extend(due.iter().cloned());
                    }
                    let _ = app.emit(REMINDERS, &due);
                    let _ = with_store(&state, move |s| {
                        due.iter().try_for_each(|r| s.mark_reminder_sent(r))
                    })
                    .await;
                }
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
}
