//! The exchange with providers, for the window: this install's identity, relays,
//! invites, sharing a work order, the outbox, and on a provider's install the
//! engagements. Store work runs through `with_store` like every other command;
//! what needs the network as well goes to the exchange thread (`crate::sync`), so
//! no command holds the window's store while it waits on a relay.

use mandate_core::exchange::{
    Channel, ChannelMember, Engagement, IdentityInfo, InviteCreated, InvitePreview, Joined,
    OutboxEntry, QrCode, Relay, RelayCheck, RelayDraft, ShareRequest, SyncStatus,
};
use mandate_core::guard::GuardDecision;
use mandate_core::person::{Person, PersonDraft};
use mandate_core::scan::ItemScan;
use mandate_core::{AssignmentStatus, DocumentVersion, Error, Side};
use serde::Deserialize;
use tauri::ipc::InvokeBody;
use tauri::{AppHandle, Emitter, State};

use super::with_store;
use crate::AppState;
use crate::sync::EXCHANGE_CHANGED;

/// How long "Test connection" waits for an answer.
const TEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The header a deliverable's details come in (its bytes are the body).
const DELIVER_HEADER: &str = "x-mandate-deliver";

/// The invite code as a QR code the window draws; `None` if it does not fit one.
pub fn qr(code: &str) -> Option<QrCode> {
    let code = qrcode::QrCode::new(code.as_bytes()).ok()?;
    Some(QrCode {
        width: code.width() as u32,
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}

fn changed(app: &AppHandle, state: &AppState) {
    let _ = app.emit(EXCHANGE_CHANGED, "");
    state.sync.wake();
}

/// The side a card is made for: a firm's install shares as the firm; one that has
/// only joined engagements is a provider's.
fn identity_of(s: &mut mandate_store::Store) -> Result<IdentityInfo, Error> {
    // One read of the channels: a provider's install only if every channel is one.
    let channels = s.channels()?;
    let side = if !channels.is_empty() && channels.iter().all(|c| c.side == Side::Provider) {
        Side::Provider
    } else {
        Side::Firm
    };
    let card = s.device_card(side)?;
    Ok(IdentityInfo {
        name: s.device_name()?,
        key_id: card.key_id().0.clone(),
        fingerprint: card.fingerprint().to_string(),
        card: card.encode().to_owned(),
    })
}

#[tauri::command]
pub async fn identity_get(state: State<'_, AppState>) -> Result<IdentityInfo, Error> {
    with_store(&state, identity_of).await
}

#[tauri::command]
pub async fn identity_set_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<IdentityInfo, Error> {
    with_store(&state, move |s| {
        s.set_device_name(&name)?;
        identity_of(s)
    })
    .await
}

#[tauri::command]
pub async fn relay_list(state: State<'_, AppState>) -> Result<Vec<Relay>, Error> {
    with_store(&state, |s| s.relays()).await
}

#[tauri::command]
pub async fn relay_add(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: RelayDraft,
) -> Result<Relay, Error> {
    let relay = with_store(&state, move |s| s.add_relay(&draft)).await?;
    changed(&app, &state);
    Ok(relay)
}

/// "Test connection": the relay's own check, with what is wrong in words. A relay
/// that answers is recorded as having answered.
#[tauri::command]
pub async fn relay_test(
    app: AppHandle,
    state: State<'_, AppState>,
    url: String,
) -> Result<RelayCheck, Error> {
    let access = with_store(&state, move |s| s.relay_access(&url)).await?;
    let check = mandate_sync::check_relay(&access, TEST_TIMEOUT).await;
    if check.ok {
        let url = access.url.clone();
        with_store(&state, move |s| s.relay_answered(&url)).await?;
        let _ = app.emit(EXCHANGE_CHANGED, "");
    }
    Ok(check)
}

#[tauri::command]
pub async fn invite_create(
    state: State<'_, AppState>,
    assignment_id: String,
    relay_url: String,
) -> Result<InviteCreated, Error> {
    state.sync.invite_create(assignment_id, relay_url).await
}

#[tauri::command]
pub async fn channel_for_assignment(
    state: State<'_, AppState>,
    assignment_id: String,
) -> Result<Option<Channel>, Error> {
    with_store(&state, move |s| s.channel_for_assignment(&assignment_id)).await
}

#[tauri::command]
pub async fn member_verify(
    app: AppHandle,
    state: State<'_, AppState>,
    channel_id: String,
    fingerprint: String,
) -> Result<ChannelMember, Error> {
    let member = with_store(&state, move |s| s.verify_member(&channel_id, &fingerprint)).await?;
    let _ = app.emit(EXCHANGE_CHANGED, "");
    Ok(member)
}

/// Queues exactly the items the person ticked (the store writes them to the outbox
/// and the disclosure ledger in one transaction); the exchange sends them.
#[tauri::command]
pub async fn share_send(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ShareRequest,
    override_reason: Option<String>,
) -> Result<Vec<OutboxEntry>, Error> {
    let queued = with_store(&state, move |s| match override_reason {
        // Past a block, for this one send: the store checks that an attorney is at
        // this desk and that a reason is written.
        Some(reason) => s.share_overriding(&request, &today(), &reason),
        None => s.share(&request, &today()),
    })
    .await?;
    changed(&app, &state);
    let _ = app.emit(super::documents::DOCUMENT_CHANGED, "");
    Ok(queued)
}

/// The lawyer's date, as the send guard reads deadlines and re-review dates.
fn today() -> String {
    super::today().to_string()
}

/// What the send guard says of sending exactly these items, before anything is
/// queued: the share dialog shows it, and a Block disables Send (`share_send` asks
/// the guard again and refuses it too).
#[tauri::command]
pub async fn guard_check(
    state: State<'_, AppState>,
    request: ShareRequest,
) -> Result<GuardDecision, Error> {
    with_store(&state, move |s| s.guard_check(&request, &today())).await
}

/// The sensitive-number scan of exactly these items, each hit with its decision.
#[tauri::command]
pub async fn scan_share(
    state: State<'_, AppState>,
    request: ShareRequest,
) -> Result<Vec<ItemScan>, Error> {
    with_store(&state, move |s| s.scan_share(&request)).await
}

/// A named person keeps one hit on purpose: it goes as it is.
#[tauri::command]
pub async fn scan_keep(
    app: AppHandle,
    state: State<'_, AppState>,
    assignment_id: String,
    item_id: String,
    hit_text: String,
    kept_by: String,
) -> Result<(), Error> {
    with_store(&state, move |s| {
        s.keep_scan_hit(&assignment_id, &item_id, &hit_text, &kept_by)
    })
    .await?;
    let _ = app.emit(EXCHANGE_CHANGED, "");
    Ok(())
}

/// The redacted copy of a document version, as a new version (the original stays).
#[tauri::command]
pub async fn document_redact(
    app: AppHandle,
    state: State<'_, AppState>,
    version_id: String,
) -> Result<DocumentVersion, Error> {
    let v = with_store(&state, move |s| s.redact_document_version(&version_id)).await?;
    let _ = app.emit(super::documents::DOCUMENT_CHANGED, "");
    Ok(v)
}

/// The people of the firm, and who is at this desk.
#[derive(serde::Serialize)]
pub struct People {
    people: Vec<Person>,
    desk: Option<Person>,
}

#[tauri::command]
pub async fn person_list(state: State<'_, AppState>) -> Result<People, Error> {
    with_store(&state, |s| {
        Ok(People {
            people: s.people()?,
            desk: s.desk_person()?,
        })
    })
    .await
}

#[tauri::command]
pub async fn person_add(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: PersonDraft,
) -> Result<Person, Error> {
    let p = with_store(&state, move |s| s.add_person(&draft)).await?;
    let _ = app.emit(EXCHANGE_CHANGED, "");
    Ok(p)
}

/// Who is at this desk: from now on audit records and decisions name them (the
/// exchange thread's connection too: it is reopened with the new name).
#[tauri::command]
pub async fn person_use(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Person, Error> {
    let p = with_store(&state, move |s| s.use_person(&id)).await?;
    state.sync.store_locked();
    let _ = app.emit(EXCHANGE_CHANGED, "");
    Ok(p)
}

#[tauri::command]
pub async fn outbox_list(
    state: State<'_, AppState>,
    channel_id: Option<String>,
    include_sent: bool,
) -> Result<Vec<OutboxEntry>, Error> {
    with_store(&state, move |s| {
        let mut entries = s.outbox(include_sent)?;
        if let Some(c) = channel_id {
            entries.retain(|e| e.channel_id == c);
        }
        Ok(entries)
    })
    .await
}

#[tauri::command]
pub async fn outbox_retry(
    app: AppHandle,
    state: State<'_, AppState>,
    envelope_id: String,
) -> Result<OutboxEntry, Error> {
    let entry = with_store(&state, move |s| s.outbox_retry(&envelope_id)).await?;
    changed(&app, &state);
    Ok(entry)
}

#[tauri::command]
pub async fn exchange_message_send(
    app: AppHandle,
    state: State<'_, AppState>,
    channel_id: String,
    text: String,
    keep_sensitive: Option<bool>,
) -> Result<OutboxEntry, Error> {
    let keep = keep_sensitive.unwrap_or(false);
    let entry = with_store(&state, move |s| {
        s.send_exchange_message_kept(&channel_id, &text, keep)
    })
    .await?;
    changed(&app, &state);
    let _ = app.emit(super::messages::MESSAGE_CHANGED, "");
    Ok(entry)
}

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> SyncStatus {
    state.sync.status()
}

#[tauri::command]
pub fn sync_now(state: State<'_, AppState>) {
    state.sync.wake();
}

#[tauri::command]
pub fn invite_preview(code: String) -> Result<InvitePreview, Error> {
    mandate_sync::invite_preview(&code, jiff::Timestamp::now()).map_err(Error::from)
}

#[tauri::command]
pub async fn invite_join(state: State<'_, AppState>, code: String) -> Result<Joined, Error> {
    state.sync.invite_join(code).await
}

#[tauri::command]
pub async fn engagement_list(state: State<'_, AppState>) -> Result<Vec<Engagement>, Error> {
    with_store(&state, |s| s.engagements()).await
}

#[tauri::command]
pub async fn engagement_get(
    state: State<'_, AppState>,
    channel_id: String,
) -> Result<Engagement, Error> {
    with_store(&state, move |s| s.engagement(&channel_id)).await
}

/// The moves the provider may make from `from` (the rule is `mandate-core`'s).
#[tauri::command]
pub fn engagement_next_states(from: AssignmentStatus) -> Vec<AssignmentStatus> {
    mandate_core::assignment::next_states(from, Side::Provider)
}

#[tauri::command]
pub async fn engagement_move(
    app: AppHandle,
    state: State<'_, AppState>,
    channel_id: String,
    to: AssignmentStatus,
) -> Result<Engagement, Error> {
    let e = with_store(&state, move |s| s.move_engagement(&channel_id, to)).await?;
    changed(&app, &state);
    Ok(e)
}

#[derive(Deserialize)]
struct DeliverHeader {
    channel_id: String,
    file_name: String,
}

fn bad_delivery(what: &str) -> Error {
    Error::invalid(
        "file",
        format!("The file could not be received ({what}). Choose it again."),
    )
}

/// A deliverable: the file's bytes in the body, its channel and name in a header.
#[tauri::command]
pub async fn engagement_deliver(
    app: AppHandle,
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<OutboxEntry, Error> {
    let header = request
        .headers()
        .get(DELIVER_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad_delivery("no details came with it"))?;
    let json = percent_encoding::percent_decode_str(header)
        .decode_utf8()
        .map_err(|_| bad_delivery("its details are not text"))?;
    let details: DeliverHeader =
        serde_json::from_str(&json).map_err(|_| bad_delivery("its details are malformed"))?;
    let bytes = match request.body() {
        InvokeBody::Raw(b) => b.clone(),
        InvokeBody::Json(v) => {
            serde_json::from_value::<Vec<u8>>(v.clone()).map_err(|_| bad_delivery("no bytes"))?
        }
    };
    let entry = with_store(&state, move |s| {
        let bytes = zeroize::Zeroizing::new(bytes);
        s.deliver(&details.channel_id, &details.file_name, &bytes)
    })
    .await?;
    changed(&app, &state);
    Ok(entry)
}

/// The text of a file of an engagement, read in the same isolated reader as the
/// firm's documents; nothing is written to disk.
#[tauri::command]
pub async fn engagement_file_text(
    state: State<'_, AppState>,
    channel_id: String,
    item_id: String,
) -> Result<Option<String>, Error> {
    let (item, bytes) =
        with_store(&state, move |s| s.engagement_file(&channel_id, &item_id)).await?;
    let reader = state.extractor.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let bytes = zeroize::Zeroizing::new(bytes);
        reader
            .extract(&item.title, &bytes)
            .text()
            .map(str::to_owned)
    })
    .await
    .map_err(|_| Error::internal("The reader stopped unexpectedly. Try again."))
}

#[cfg(test)]
mod tests {
    use super::qr;

    #[test]
    fn an_invite_code_fits_a_qr_code_and_its_modules_are_a_square() {
        let code = format!("MANDATE-INVITE-1-{}", "A".repeat(600));
        let q = qr(&code).expect("a 600-character invite fits");
        assert_eq!(q.dark.len(), (q.width * q.width) as usize);
        assert!(q.dark.iter().any(|d| *d) && q.dark.iter().any(|d| !*d));
        // The finder pattern's corner is dark in every QR code.
        assert!(q.dark[0]);
    }
}
