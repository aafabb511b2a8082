//! Invites and one round of sync.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use mandate_core::Side;
use mandate_core::dates::format_instant;
use mandate_core::exchange::{ExchangeRejection, InviteCreated, InvitePreview, Joined, SyncReport};
use mandate_protocol::{Header, Invite, OpenError, Receiver, seal};
use mandate_store::{ListedMember, NewChannel, RelayAccess, Store};
use rand::Rng;

use crate::client::{RelayClient, RelayError, card_text};

/// How long an invite stays good unless the firm says otherwise.
pub const INVITE_DEFAULT_SECS: u64 = 7 * 24 * 3600;
/// Items larger than this are sealed into and downloaded to files, never held whole.
const STREAM_ABOVE: i64 = 4 * 1024 * 1024;
/// Envelopes asked for per page when pulling.
const PAGE: u32 = 200;
/// The longest wait between two attempts of one item.
const MAX_BACKOFF_SECS: u64 = 15 * 60;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] mandate_core::Error),
    #[error(transparent)]
    Relay(#[from] RelayError),
    #[error("{0}")]
    Invite(String),
}

impl From<SyncError> for mandate_core::Error {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e,
            SyncError::Relay(e) => {
                mandate_core::Error::new(mandate_core::ErrorCode::Network, e.to_string())
            }
            SyncError::Invite(message) => mandate_core::Error::invalid("code", message),
        }
    }
}

/// The firm opens a channel for an assignment on a relay it added, and gets the
/// invite code to hand the provider.
pub async fn invite_create(
    store: &mut Store,
    assignment_id: &str,
    relay_url: &str,
    expires_in_secs: Option<u64>,
) -> Result<InviteCreated, SyncError> {
    let assignment = store.assignment(assignment_id)?;
    let relay = store.relay_access(relay_url)?;
    let Some(account) = relay.account_token.clone() else {
        return Err(SyncError::Invite(format!(
            "No account on {} is recorded. Ask the relay's operator for one, then: mandate relay add {} --account-token TOKEN",
            relay.url, relay.url
        )));
    };
    let card = store.device_card(Side::Firm)?;
    let client = RelayClient::new(&relay)?;
    client.health().await?;
    let opened = client.open_channel(&account, card.encode()).await?;
    let expires_in = expires_in_secs.unwrap_or(INVITE_DEFAULT_SECS);
    let invite_token = client
        .create_invite(&opened.channel_id, &opened.access_token, expires_in)
        .await?;
    let firm_name = store.device_name()?;
    store.add_channel(&NewChannel {
        id: opened.channel_id.clone(),
        relay: RelayAccess {
            account_token: None,
            ..relay.clone()
        },
        side: Side::Firm,
        assignment_id: assignment.id.to_string(),
        access_token: opened.access_token.clone(),
        member_id: opened.member_id.clone(),
        firm_name: firm_name.clone(),
        firm_fingerprints: vec![card.fingerprint().compact()],
    })?;
    store.set_channel_members(
        &opened.channel_id,
        &[ListedMember {
            member_id: opened.member_id,
            role: "owner".into(),
            card: card.encode().to_owned(),
            acked: 0,
        }],
    )?;
    store.relay_answered(&relay.url)?;
    let invite = Invite {
        v: 1,
        relay: relay.url.clone(),
        channel: opened.channel_id.clone(),
        token: invite_token.join_token,
        firm: firm_name,
        fingerprints: vec![card.fingerprint().compact()],
        relay_cert_sha256: relay.cert_sha256.clone(),
        expires: invite_token.expires_at,
    };
    Ok(InviteCreated {
        code: invite.encode(),
        channel_id: opened.channel_id,
        expires: invite_token.expires_at,
        fingerprint: card.fingerprint().to_string(),
        qr: None,
    })
}

/// What an invite code says, read before joining: the firm, its fingerprints and
/// the relay. Nothing goes over the network; `now` tells whether it has expired.
pub fn invite_preview(code: &str, now: Timestamp) -> Result<InvitePreview, SyncError> {
    let invite =
        Invite::decode(code, now.as_second()).map_err(|e| SyncError::Invite(e.to_string()))?;
    Ok(InvitePreview {
        firm: invite.firm,
        relay: invite.relay,
        firm_fingerprints: invite
            .fingerprints
            .iter()
            .filter_map(|f| mandate_protocol::Fingerprint::parse(f).map(|f| f.to_string()))
            .collect(),
        pinned: invite.relay_cert_sha256.is_some(),
        expires: invite.expires,
    })
}

/// The provider joins with an invite code. The firm's keys, as the relay lists
/// them, must match a fingerprint the invite names, or nothing is kept.
pub async fn invite_join(
    store: &mut Store,
    code: &str,
    ca_pem: Option<String>,
) -> Result<Joined, SyncError> {
    let invite = Invite::decode(code, store.now().as_second())
        .map_err(|e| SyncError::Invite(e.to_string()))?;
    // A relay the provider added itself (in Settings, or `mandate relay add`) lends
    // its trust — its CA or pin — where the invite and the command name none.
    let known = store.relay_access(&invite.relay).ok();
    let relay = RelayAccess {
        url: invite.relay.clone(),
        account_token: None,
        cert_sha256: invite
            .relay_cert_sha256
            .clone()
            .or_else(|| known.as_ref().and_then(|k| k.cert_sha256.clone())),
        ca_pem: ca_pem.or_else(|| known.and_then(|k| k.ca_pem)),
    };
    let card = store.device_card(Side::Provider)?;
    let client = RelayClient::new(&relay)?;
    client.health().await?;
    let joined = client
        .join(&invite.channel, &invite.token, card.encode())
        .await?;
    store.add_channel(&NewChannel {
        id: invite.channel.clone(),
        relay: relay.clone(),
        side: Side::Provider,
        assignment_id: invite.channel.clone(),
        access_token: joined.access_token.clone(),
        member_id: joined.member_id.clone(),
        firm_name: invite.firm.clone(),
        firm_fingerprints: invite.fingerprints.clone(),
    })?;
    refresh_members(store, &client, &invite.channel, &joined.access_token).await?;
    Ok(Joined {
        channel_id: invite.channel,
        firm: invite.firm,
        relay: invite.relay,
        firm_fingerprints: invite
            .fingerprints
            .iter()
            .filter_map(|f| mandate_protocol::Fingerprint::parse(f).map(|f| f.to_string()))
            .collect(),
        my_fingerprint: card.fingerprint().to_string(),
    })
}

async fn refresh_members(
    store: &mut Store,
    client: &RelayClient,
    channel: &str,
    token: &str,
) -> Result<Vec<String>, SyncError> {
    let listed: Vec<ListedMember> = client
        .members(channel, token)
        .await?
        .iter()
        .map(|m| ListedMember {
            member_id: m.member_id.clone(),
            role: m.role.clone(),
            card: card_text(m).unwrap_or_default(),
            acked: m.acked,
        })
        .collect();
    Ok(store.set_channel_members(channel, &listed)?)
}

/// When to try an item again after `attempts` failures: exponential, with jitter so
/// many clients do not return at once, or when the relay asked (Retry-After).
pub fn next_attempt(attempts: i64, retry_after: Option<u64>, now: Timestamp) -> Timestamp {
    let secs = retry_after.unwrap_or_else(|| {
        let base = 2u64
            .saturating_pow(attempts.clamp(0, 20) as u32)
            .min(MAX_BACKOFF_SECS);
        let jitter = rand::rng().random_range(0.5..1.5);
        ((base as f64) * jitter).ceil() as u64
    });
    now.checked_add(jiff::SignedDuration::from_secs(
        secs.min(MAX_BACKOFF_SECS) as i64
    ))
    .unwrap_or(now)
}

/// One round: for every channel, refresh its members, send what is due, and pull
/// and apply what came. A relay that does not answer leaves its items queued (with
/// the reason) and the other channels go on.
pub async fn sync_once(store: &mut Store) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let identity = store.device_identity()?;
    for channel in store.channels()? {
        let access = store.channel_access(&channel.id)?;
        let client = match RelayClient::new(&access.relay) {
            Ok(c) => c,
            Err(e) => {
                report.waiting.push(format!("{}: {e}", channel.id));
                report.unreachable.push(e.to_string());
                continue;
            }
        };
        if let Err(e) = refresh_members(store, &client, &channel.id, &access.access_token).await {
            if let SyncError::Relay(r) = &e {
                report.unreachable.push(r.to_string());
            }
            note_channel_failure(store, &mut report, &channel.id, &e)?;
            continue;
        }
        store.relay_answered(&access.relay.url)?;
        push(store, &client, &identity, &access, &mut report).await?;
        store.begin_audit_batch();
        let pulled = pull(store, &client, &identity, &access, &mut report).await;
        store.end_audit_batch();
        pulled?;
    }
    Ok(report)
}

/// A channel the relay did not serve this round (no answer, 429, a certificate it
/// should not have): its due items did not go. Each keeps the reason as its last
/// error, as `mandate outbox` shows it, and is tried again with the same backoff as a
/// failed upload (or when the relay asked, for a 429); a failure that is not worth
/// waiting on is tried again at the next sync.
fn note_channel_failure(
    store: &mut Store,
    report: &mut SyncReport,
    channel_id: &str,
    e: &SyncError,
) -> Result<(), SyncError> {
    let now = store.now();
    let mut any = false;
    for entry in store
        .outbox_due(&format_instant(now))?
        .into_iter()
        .filter(|o| o.channel_id == channel_id)
    {
        let at = match e {
            SyncError::Relay(RelayError::Transient { retry_after, .. }) => {
                next_attempt(entry.attempts, *retry_after, now)
            }
            _ => now,
        };
        store.outbox_retry_later(&entry.envelope_id, &format_instant(at), &e.to_string())?;
        report.waiting.push(format!("{} ({e})", entry.label));
        any = true;
    }
    if !any {
        report.waiting.push(format!("channel {channel_id}: {e}"));
    }
    Ok(())
}

/// What became of one upload: go on, or stop the channel's round (an untrusted relay).
enum Pushed {
    Next,
    Stop,
}

/// Records the relay's answer to one envelope: sent, to try again later (and the
/// rest of the channel with it, when the relay asked to wait), or needing attention.
fn record_put(
    store: &mut Store,
    report: &mut SyncReport,
    entry: mandate_core::exchange::OutboxEntry,
    put: Result<bool, RelayError>,
    now: Timestamp,
    waiting_rest: &mut Option<(Timestamp, String)>,
) -> Result<Pushed, SyncError> {
    match put {
        Ok(_) => {
            store.outbox_sent(&entry.envelope_id)?;
            report.sent.push(entry.label);
        }
        Err(RelayError::Transient {
            reason,
            retry_after,
        }) => {
            let at = next_attempt(entry.attempts, retry_after, now);
            store.outbox_retry_later(&entry.envelope_id, &format_instant(at), &reason)?;
            report.waiting.push(format!("{} ({reason})", entry.label));
            // The relay is busy or away: the rest of this channel waits for the
            // next round instead of meeting the same answer one by one.
            *waiting_rest = Some((at, reason));
        }
        Err(RelayError::Untrusted(reason)) => {
            // The relay is not who it should be: nothing goes, nothing is given up.
            report.waiting.push(format!("{} ({reason})", entry.label));
            return Ok(Pushed::Stop);
        }
        Err(e @ RelayError::Refused { .. }) => {
            store.outbox_failed(&entry.envelope_id, &e.to_string())?;
            report.needs_attention.push(format!("{}: {e}", entry.label));
        }
    }
    Ok(Pushed::Next)
}

/// Once the relay asked to wait, an entry not yet sent waits until then too (with
/// the relay's reason): `true` when it was held back.
fn held_back(
    store: &mut Store,
    report: &mut SyncReport,
    entry: &mandate_core::exchange::OutboxEntry,
    waiting_rest: &Option<(Timestamp, String)>,
) -> Result<bool, SyncError> {
    let Some((at, reason)) = waiting_rest else {
        return Ok(false);
    };
    store.outbox_hold(&entry.envelope_id, &format_instant(*at), reason)?;
    report.waiting.push(format!("{} ({reason})", entry.label));
    Ok(true)
}

/// Small envelopes sealed and waiting to go up together.
#[derive(Default)]
struct Batch {
    entries: Vec<mandate_core::exchange::OutboxEntry>,
    sealed: Vec<(String, Vec<u8>)>,
    bytes: usize,
}

/// Up to this many bytes of sealed envelopes go in one batch request.
const BATCH_BYTES: usize = 2 * 1024 * 1024;

/// One channel's upload round: when it began, the batch being filled, whether the
/// relay takes batches, and (once it asked to wait) until when the rest waits.
struct PushRound {
    now: Timestamp,
    batch: Batch,
    batches: bool,
    waiting_rest: Option<(Timestamp, String)>,
}

/// Sends a batch in one request (one commit on the relay) and records each answer.
/// A relay without batch uploads (404, 405) gets them one by one, and `batches` is
/// turned off for the rest of the round.
async fn flush(
    store: &mut Store,
    client: &RelayClient,
    access: &mandate_store::ChannelAccess,
    report: &mut SyncReport,
    round: &mut PushRound,
) -> Result<Pushed, SyncError> {
    if round.batch.entries.is_empty() {
        return Ok(Pushed::Next);
    }
    let Batch {
        entries, sealed, ..
    } = std::mem::take(&mut round.batch);
    let (now, waiting_rest) = (round.now, &mut round.waiting_rest);
    let answers: Vec<Result<bool, RelayError>> = match client
        .put_envelopes(&access.id, &access.access_token, &sealed)
        .await
    {
        Ok(answers) => answers,
        // A relay without batch uploads: no such route (404 with no error of its
        // own; a missing channel says `channel_not_found`) or no such method (405).
        Err(RelayError::Refused { status, code, .. })
            if status == 405 || (status == 404 && code == "not_found") =>
        {
            round.batches = false;
            let mut one_by_one = Vec::with_capacity(sealed.len());
            for (id, bytes) in sealed {
                // After a failure that is not this envelope's own (the relay busy,
                // away or untrusted), the rest have that answer without asking again.
                if let Some(Err(e @ (RelayError::Transient { .. } | RelayError::Untrusted(_)))) =
                    one_by_one.last()
                {
                    one_by_one.push(Err(e.clone()));
                    continue;
                }
                one_by_one.push(
                    client
                        .put_envelope(&access.id, &access.access_token, &id, bytes)
                        .await,
                );
            }
            one_by_one
        }
        // The request as a whole failed: every envelope of it has that answer.
        Err(e) => sealed.iter().map(|_| Err(e.clone())).collect(),
    };
    for (entry, put) in entries.into_iter().zip(answers) {
        if held_back(store, report, &entry, waiting_rest)? {
            continue;
        }
        if let Pushed::Stop = record_put(store, report, entry, put, now, waiting_rest)? {
            return Ok(Pushed::Stop);
        }
    }
    Ok(Pushed::Next)
}

async fn push(
    store: &mut Store,
    client: &RelayClient,
    identity: &mandate_protocol::DeviceIdentity,
    access: &mandate_store::ChannelAccess,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let now = store.now();
    let due: Vec<_> = store
        .outbox_due(&format_instant(now))?
        .into_iter()
        .filter(|o| o.channel_id == access.id)
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let recipients = store.channel_recipients(&access.id)?;
    let recipient_refs: Vec<_> = recipients.iter().collect();
    // Small envelopes go up in batches, in outbox order (one commit on the relay for
    // each batch); a large one first sends the batch before it, so order is kept.
    // Once the relay asks to wait, the rest of the channel's items wait too.
    let mut round = PushRound {
        now,
        batch: Batch::default(),
        batches: true,
        waiting_rest: None,
    };
    for entry in due {
        if held_back(store, report, &entry, &round.waiting_rest)? {
            continue;
        }
        let kind: mandate_protocol::ItemKind = serde_json::from_value(serde_json::Value::String(
            entry.kind.clone(),
        ))
        .map_err(|_| mandate_core::Error::internal(format!("unknown item kind {}", entry.kind)))?;
        let header = Header {
            v: 1,
            envelope: entry.envelope_id.clone(),
            channel: access.id.clone(),
            item: entry.item_id.clone(),
            kind,
            revision: entry.revision as u64,
            sender: identity.key_id(),
            created: now.as_millisecond(),
        };
        // Large items are sealed into a file (ciphertext only) straight from the
        // store and streamed up; small ones are sealed in memory.
        let put = if entry.size > STREAM_ABOVE {
            if let Pushed::Stop = flush(store, client, access, report, &mut round).await? {
                return Ok(());
            }
            if held_back(store, report, &entry, &round.waiting_rest)? {
                continue;
            }
            let path = store
                .exchange_scratch_dir()?
                .join(format!("{}.out", entry.envelope_id));
            let sealed = std::fs::File::create(&path)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    let reader = store
                        .outbox_payload_reader(&entry.envelope_id)
                        .map_err(|e| e.to_string())?;
                    seal(
                        &header,
                        reader,
                        &recipient_refs,
                        identity,
                        std::io::BufWriter::new(f),
                    )
                    .map_err(|e| e.to_string())
                });
            let result = match sealed {
                Ok(_) => Some(
                    client
                        .put_envelope_file(
                            &access.id,
                            &access.access_token,
                            &entry.envelope_id,
                            &path,
                        )
                        .await,
                ),
                Err(e) => {
                    store.outbox_failed(&entry.envelope_id, &e)?;
                    report.needs_attention.push(format!("{}: {e}", entry.label));
                    None
                }
            };
            let _ = std::fs::remove_file(&path);
            result
        } else {
            let payload = zeroize::Zeroizing::new(store.outbox_payload(&entry.envelope_id)?);
            let mut sealed = Vec::with_capacity(payload.len() + 1024);
            if let Err(e) = seal(
                &header,
                &payload[..],
                &recipient_refs,
                identity,
                &mut sealed,
            ) {
                store.outbox_failed(&entry.envelope_id, &e.to_string())?;
                report.needs_attention.push(format!("{}: {e}", entry.label));
                continue;
            }
            if round.batches && sealed.len() <= crate::client::BATCH_ITEM_MAX {
                round.batch.bytes += sealed.len();
                round.batch.sealed.push((entry.envelope_id.clone(), sealed));
                round.batch.entries.push(entry);
                let full = round.batch.entries.len() >= crate::client::BATCH_MAX_ITEMS
                    || round.batch.bytes >= BATCH_BYTES;
                if full
                    && let Pushed::Stop = flush(store, client, access, report, &mut round).await?
                {
                    return Ok(());
                }
                continue;
            }
            if let Pushed::Stop = flush(store, client, access, report, &mut round).await? {
                return Ok(());
            }
            if held_back(store, report, &entry, &round.waiting_rest)? {
                continue;
            }
            Some(
                client
                    .put_envelope(&access.id, &access.access_token, &entry.envelope_id, sealed)
                    .await,
            )
        };
        let Some(put) = put else { continue };
        if let Pushed::Stop = record_put(store, report, entry, put, now, &mut round.waiting_rest)? {
            return Ok(());
        }
    }
    flush(store, client, access, report, &mut round).await?;
    Ok(())
}

/// Lists and applies what the other side sent. The envelopes whose bodies came in the
/// listing are applied in one transaction per run (one commit for many, each still
/// on its own savepoint); the run is committed before any further request to the
/// relay, so the store is never held while waiting on the network.
async fn pull(
    store: &mut Store,
    client: &RelayClient,
    identity: &mandate_protocol::DeviceIdentity,
    access: &mandate_store::ChannelAccess,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let pulled = pull_pages(store, client, identity, access, report).await;
    let ended = store.end_receiving();
    pulled?;
    Ok(ended?)
}

async fn pull_pages(
    store: &mut Store,
    client: &RelayClient,
    identity: &mandate_protocol::DeviceIdentity,
    access: &mandate_store::ChannelAccess,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    // Read when this round began; only this pull moves it.
    let mut after = access.cursor;
    // The members were refreshed from the relay just before this pull.
    let peers = store.channel_peers(&access.id)?;
    loop {
        store.end_receiving()?;
        let page = match client
            .list(&access.id, &access.access_token, after, PAGE)
            .await
        {
            Ok(p) => p,
            Err(e) if e.is_transient() => {
                report
                    .waiting
                    .push(format!("receiving on {} ({e})", access.id));
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        for listed in &page.envelopes {
            after = listed.seq;
            if listed.sender == access.member_id {
                store.begin_receiving()?;
                store.own_envelope_listed(&access.id, listed.seq, &listed.id)?;
                continue;
            }
            let inline = listed.body.as_deref().and_then(|b| STANDARD.decode(b).ok());
            if inline.is_some() {
                store.begin_receiving()?;
            } else {
                // A download ahead (and, for a large item, parts written on their
                // own): what was applied so far is committed first.
                store.end_receiving()?;
            }
            let receiver = Receiver {
                me: identity,
                channel: &access.id,
                peers: &peers,
            };
            let outcome = if inline.is_none() && listed.size > STREAM_ABOVE as u64 {
                // Large: download into a file (ciphertext), check its signature
                // there, decrypt it into the file's parts in the store, then apply.
                let path = store
                    .exchange_scratch_dir()?
                    .join(format!("{}.in", listed.id));
                match client
                    .get_envelope_to_file(&access.id, &access.access_token, &listed.id, &path)
                    .await
                {
                    Ok(_) => {}
                    Err(e) if e.is_transient() => {
                        report
                            .waiting
                            .push(format!("receiving on {} ({e})", access.id));
                        return Ok(());
                    }
                    Err(e) => return Err(e.into()),
                }
                let opened = {
                    let file = std::fs::File::open(&path).map_err(|e| {
                        mandate_core::Error::new(
                            mandate_core::ErrorCode::Io,
                            format!("could not read the download: {e}"),
                        )
                    })?;
                    let held = |h: &Header| store.held_revision(&access.id, &h.item).ok().flatten();
                    let mut incoming = store.incoming_writer(&listed.id)?;
                    let opened = receiver.open(
                        &listed.id,
                        std::io::BufReader::with_capacity(256 * 1024, file),
                        held,
                        &mut incoming,
                    );
                    match opened {
                        Ok(o) => incoming.finish().map(|i| (o, i)).map_err(OpenError::Io),
                        Err(e) => Err(e),
                    }
                };
                let outcome = match opened {
                    Ok((opened, incoming)) => {
                        Ok(store.apply_incoming(&access.id, listed.seq, &opened, incoming))
                    }
                    Err(e) => Err(e),
                };
                let _ = std::fs::remove_file(&path);
                outcome
            } else {
                let bytes = match inline {
                    Some(b) => b,
                    None => match client
                        .get_envelope(&access.id, &access.access_token, &listed.id)
                        .await
                    {
                        Ok(b) => b,
                        Err(e) if e.is_transient() => {
                            report
                                .waiting
                                .push(format!("receiving on {} ({e})", access.id));
                            return Ok(());
                        }
                        Err(e) => return Err(e.into()),
                    },
                };
                let mut content = zeroize::Zeroizing::new(Vec::new());
                let held = |h: &Header| store.held_revision(&access.id, &h.item).ok().flatten();
                match receiver.open(&listed.id, Cursor::new(&bytes), held, &mut *content) {
                    Ok(opened) => {
                        Ok(store.apply_received(&access.id, listed.seq, &opened, &content))
                    }
                    Err(e) => Err(e),
                }
            };
            match outcome {
                Ok(Ok(label)) => {
                    report.received.push(label);
                    if !report.arrived_on.contains(&access.id) {
                        report.arrived_on.push(access.id.clone());
                    }
                }
                // The item cannot be applied (a move the state machine refuses, a
                // file that does not match its hash): refused, and the queue goes on.
                Ok(Err(e)) if refusal(&e) => reject(
                    store,
                    report,
                    &access.id,
                    listed.seq,
                    &listed.id,
                    "not_applicable",
                    &e.message,
                )?,
                // The store could not take it now (disk full, busy): it waits, and the
                // cursor stays, so the next round tries the same envelope again.
                Ok(Err(e)) => {
                    let _ = store.discard_incoming(&listed.id);
                    report
                        .waiting
                        .push(format!("receiving on {} ({})", access.id, e.message));
                    return Ok(());
                }
                Err(OpenError::Rejected(r)) => reject(
                    store,
                    report,
                    &access.id,
                    listed.seq,
                    &listed.id,
                    r.code(),
                    &r.to_string(),
                )?,
                Err(OpenError::Io(e)) => {
                    let _ = store.discard_incoming(&listed.id);
                    report
                        .waiting
                        .push(format!("receiving on {} ({e})", access.id));
                    return Ok(());
                }
            }
        }
        if !page.more {
            return Ok(());
        }
    }
}

/// Whether a store error applying an item means the item itself is wrong (refuse
/// it) rather than that the store could not take it now (try again later).
fn refusal(e: &mandate_core::Error) -> bool {
    use mandate_core::ErrorCode as C;
    matches!(
        e.code,
        C::NotAllowed | C::Corrupt | C::Invalid | C::NotFound | C::Duplicate
    )
}

fn reject(
    store: &mut Store,
    report: &mut SyncReport,
    channel: &str,
    seq: i64,
    envelope: &str,
    code: &str,
    reason: &str,
) -> Result<(), SyncError> {
    store.record_rejection(channel, seq, envelope, code, reason)?;
    report.rejected.push(ExchangeRejection {
        channel_id: channel.to_owned(),
        seq,
        envelope_id: envelope.to_owned(),
        code: code.to_owned(),
        reason: reason.to_owned(),
        at: format_instant(store.now()),
    });
    Ok(())
}
