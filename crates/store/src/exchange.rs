//! The exchange as the store keeps it: this install's device identity, relays,
//! channels and their members, the outbox (written in the same transaction as the
//! change it carries), and the application of received items — each in one
//! transaction with the channel's cursor, so a crash applies an envelope exactly once.
//!
//! No network here: `mandate-sync` moves envelopes; this module decides what goes
//! and what a received item changes.

use mandate_core::ConsentFilter;
use mandate_core::exchange::{
    Channel, ChannelMember, Engagement, EngagementItem, ExchangeRejection, ItemBody, OutboxEntry,
    OutboxState, Relay, RelayDraft, ShareRequest,
};
use mandate_core::guard::{
    ConflictClearance, Decision, GuardDecision, GuardInput, OutgoingItem, send_guard,
};
use mandate_core::{
    AssignmentId, AssignmentStatus, DisclosedItem, DisclosureDecision, DisclosureDraft,
    DocumentOwner, DocumentUpload, Error, ErrorCode, Result, Side, assignment::transition,
};
use mandate_protocol::envelope::Peer;
use mandate_protocol::{DeviceIdentity, ItemKind, Opened, PublicCard, PublicKeys};
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use zeroize::Zeroizing;

use crate::db::Ctx;
use crate::documents::{insert_disclosure, insert_document, prepare_stored_document};
use crate::{Store, audit, prepare_document};

/// The name other sides see until this install is given one (`mandate identity name`).
const DEFAULT_DEVICE_NAME: &str = "Mandate";

/// What the sync engine needs to reach a relay: never shown, never logged.
#[derive(Clone)]
pub struct RelayAccess {
    pub url: String,
    pub account_token: Option<Zeroizing<String>>,
    pub cert_sha256: Option<String>,
    pub ca_pem: Option<String>,
}

/// A channel's secrets and position, for the sync engine.
#[derive(Clone)]
pub struct ChannelAccess {
    pub id: String,
    pub relay: RelayAccess,
    pub access_token: Zeroizing<String>,
    pub member_id: String,
    pub side: Side,
    pub cursor: i64,
}

/// A channel just opened (firm) or joined (provider).
pub struct NewChannel {
    pub id: String,
    pub relay: RelayAccess,
    pub side: Side,
    pub assignment_id: String,
    pub access_token: String,
    pub member_id: String,
    pub firm_name: String,
    pub firm_fingerprints: Vec<String>,
}

/// A member as the relay lists it.
pub struct ListedMember {
    pub member_id: String,
    pub role: String,
    pub card: String,
    /// The highest sequence number the member has said it holds (relay's count).
    pub acked: i64,
}

fn parse_side(s: &str) -> Side {
    if s == "provider" {
        Side::Provider
    } else {
        Side::Firm
    }
}

fn protocol_side(side: Side) -> mandate_protocol::Side {
    match side {
        Side::Firm => mandate_protocol::Side::Firm,
        Side::Provider => mandate_protocol::Side::Provider,
    }
}

fn core_side(side: mandate_protocol::Side) -> Side {
    match side {
        mandate_protocol::Side::Firm => Side::Firm,
        mandate_protocol::Side::Provider => Side::Provider,
    }
}

fn new_envelope_id() -> String {
    // UUID v7 without dashes: random enough that a 409 for it can only mean an
    // earlier upload of the same change (see docs/protocol.md, "Sync semantics").
    uuid::Uuid::now_v7().simple().to_string()
}

fn normalise_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    if !url.starts_with("https://") {
        return Err(Error::invalid(
            "url",
            "A relay's address starts with https:// (Mandate never sends over plain HTTP).",
        ));
    }
    if url.len() <= "https://".len() || url.contains(char::is_whitespace) {
        return Err(Error::invalid(
            "url",
            "Give the relay's address, like https://relay.example.com:8443.",
        ));
    }
    Ok(url.to_owned())
}

fn normalise_pin(pin: Option<&str>) -> Result<Option<String>> {
    let Some(pin) = pin.map(|p| p.trim().replace(':', "").to_ascii_lowercase()) else {
        return Ok(None);
    };
    if pin.is_empty() {
        return Ok(None);
    }
    if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "cert_sha256",
            "A certificate pin is the SHA-256 of the relay's certificate: 64 hex digits (the relay prints it when it starts).",
        ));
    }
    Ok(Some(pin))
}

impl Store {
    /// This install's device identity, made (and audited) on first use.
    pub fn device_identity(&mut self) -> Result<DeviceIdentity> {
        let found: Option<String> = self
            .conn
            .query_row("SELECT secret FROM device_identity WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .ctx("read this device's identity")?;
        if let Some(secret) = found {
            let secret = Zeroizing::new(secret);
            return DeviceIdentity::from_secret(&secret)
                .map_err(|e| Error::new(ErrorCode::Corrupt, e.to_string()));
        }
        let identity = DeviceIdentity::generate();
        let tx = self.conn.transaction().ctx("make this device's identity")?;
        tx.execute(
            "INSERT INTO device_identity (id, secret, name, created_at) VALUES (1, ?1, ?2, ?3)",
            params![
                identity.to_secret().as_str(),
                DEFAULT_DEVICE_NAME,
                self.clock.stamp()
            ],
        )
        .ctx("make this device's identity")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "identity.create",
            "device",
            &identity.key_id().0,
            &json!({ "fingerprint": identity.fingerprint().to_string() }),
        )?;
        tx.commit().ctx("make this device's identity")?;
        self.record_audit_head();
        Ok(identity)
    }

    /// The name this install shows the other side (the firm's or provider's name).
    pub fn device_name(&mut self) -> Result<String> {
        self.device_identity()?;
        self.conn
            .query_row("SELECT name FROM device_identity WHERE id = 1", [], |r| {
                r.get(0)
            })
            .ctx("read this device's name")
    }

    pub fn set_device_name(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid(
                "name",
                "Give the name the other side should see (at most 200 characters).",
            ));
        }
        self.device_identity()?;
        let tx = self.conn.transaction().ctx("rename this device")?;
        tx.execute("UPDATE device_identity SET name = ?1 WHERE id = 1", [name])
            .ctx("rename this device")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "identity.rename",
            "device",
            "1",
            &json!({ "name": name }),
        )?;
        tx.commit().ctx("rename this device")?;
        self.record_audit_head();
        Ok(())
    }

    /// This device's public card, signed now, for the side it acts for.
    pub fn device_card(&mut self, side: Side) -> Result<PublicCard> {
        let identity = self.device_identity()?;
        let name = self.device_name()?;
        let now = self.clock.now().as_second();
        Ok(identity.card(&name, protocol_side(side), now))
    }

    // ---- relays ----

    pub fn add_relay(&mut self, draft: &RelayDraft) -> Result<Relay> {
        let url = normalise_url(&draft.url)?;
        let pin = normalise_pin(draft.cert_sha256.as_deref())?;
        let token = draft
            .account_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let ca = draft.ca_pem.as_deref().filter(|c| !c.trim().is_empty());
        if let Some(ca) = ca
            && !ca.contains("-----BEGIN CERTIFICATE-----")
        {
            return Err(Error::invalid(
                "ca_pem",
                "The CA file must be a PEM certificate (-----BEGIN CERTIFICATE-----).",
            ));
        }
        let tx = self.conn.transaction().ctx("add the relay")?;
        tx.execute(
            "INSERT INTO relay (url, account_token, cert_sha256, ca_pem, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (url) DO UPDATE SET account_token = coalesce(excluded.account_token, account_token),
                 cert_sha256 = excluded.cert_sha256, ca_pem = excluded.ca_pem",
            params![url, token, pin, ca, self.clock.stamp()],
        )
        .ctx("add the relay")?;
        // The token is a secret: the audit record names the relay only.
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "relay.add",
            "relay",
            &url,
            &json!({ "pinned": pin.is_some(), "ca": ca.is_some(), "account": token.is_some() }),
        )?;
        tx.commit().ctx("add the relay")?;
        self.record_audit_head();
        self.relays()?
            .into_iter()
            .find(|r| r.url == url)
            .ok_or_else(|| Error::internal("The relay was added but cannot be read back."))
    }

    pub fn relays(&self) -> Result<Vec<Relay>> {
        let mut stmt = self
            .conn
            .prepare("SELECT url, account_token IS NOT NULL, cert_sha256, ca_pem IS NOT NULL, added_at, last_ok_at FROM relay ORDER BY added_at")
            .ctx("list relays")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Relay {
                    url: r.get(0)?,
                    has_account: r.get(1)?,
                    cert_sha256: r.get(2)?,
                    has_ca: r.get(3)?,
                    added_at: r.get(4)?,
                    last_ok_at: r.get(5)?,
                })
            })
            .ctx("list relays")?;
        rows.collect::<rusqlite::Result<_>>().ctx("list relays")
    }

    pub fn relay_access(&self, url: &str) -> Result<RelayAccess> {
        let url = normalise_url(url)?;
        self.conn
            .query_row(
                "SELECT url, account_token, cert_sha256, ca_pem FROM relay WHERE url = ?1",
                [&url],
                |r| {
                    Ok(RelayAccess {
                        url: r.get(0)?,
                        account_token: r.get::<_, Option<String>>(1)?.map(Zeroizing::new),
                        cert_sha256: r.get(2)?,
                        ca_pem: r.get(3)?,
                    })
                },
            )
            .optional()
            .ctx("read the relay")?
            .ok_or_else(|| Error::not_found(format!("No relay {url} has been added. Add it first: mandate relay add {url} --account-token TOKEN")))
    }

    /// Notes that a relay answered (shown as "last answered").
    pub fn relay_answered(&mut self, url: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE relay SET last_ok_at = ?2 WHERE url = ?1",
                params![url, self.clock.stamp()],
            )
            .ctx("note the relay answered")?;
        Ok(())
    }

    // ---- channels ----

    pub fn add_channel(&mut self, c: &NewChannel) -> Result<Channel> {
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("save the channel")?;
        tx.execute(
            "INSERT INTO channel (id, relay_url, cert_sha256, ca_pem, side, assignment_id, access_token, member_id, firm_name, firm_fingerprints, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                c.id,
                c.relay.url,
                c.relay.cert_sha256,
                c.relay.ca_pem,
                c.side.as_str(),
                c.assignment_id,
                c.access_token,
                c.member_id,
                c.firm_name,
                serde_json::to_string(&c.firm_fingerprints).unwrap_or_else(|_| "[]".into()),
                now
            ],
        )
        .ctx("save the channel")?;
        if c.side == Side::Provider {
            tx.execute(
                "INSERT INTO engagement (channel_id, firm_name, assignment_id, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![c.id, c.firm_name, c.assignment_id, now],
            )
            .ctx("save the engagement")?;
        }
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            if c.side == Side::Firm {
                "channel.open"
            } else {
                "channel.join"
            },
            "channel",
            &c.id,
            &json!({ "relay": c.relay.url, "assignment_id": c.assignment_id }),
        )?;
        tx.commit().ctx("save the channel")?;
        self.record_audit_head();
        self.channel(&c.id)
    }

    pub fn channel(&self, id: &str) -> Result<Channel> {
        let channel = self
            .conn
            .query_row(
                "SELECT id, relay_url, side, assignment_id, firm_name, cursor, last_sync_at, created_at, member_id FROM channel WHERE id = ?1",
                [id.trim()],
                |r| {
                    let channel = Channel {
                        id: r.get(0)?,
                        relay_url: r.get(1)?,
                        side: parse_side(&r.get::<_, String>(2)?),
                        assignment_id: r.get(3)?,
                        firm_name: r.get(4)?,
                        cursor: r.get(5)?,
                        last_sync_at: r.get(6)?,
                        created_at: r.get(7)?,
                        members: Vec::new(),
                    };
                    Ok((channel, r.get::<_, String>(8)?))
                },
            )
            .optional()
            .ctx("read the channel")?
            .ok_or_else(|| Error::not_found("That engagement channel does not exist. List channels with: mandate engagement list"))?;
        let (mut channel, me) = channel;
        let mut stmt = self
            .conn
            .prepare("SELECT member_id, role, side, name, key_id, fingerprint, verified_at, verified_by FROM channel_member WHERE channel_id = ?1 ORDER BY role DESC, member_id")
            .ctx("read the channel's members")?;
        channel.members = stmt
            .query_map([&channel.id], |r| {
                let member_id: String = r.get(0)?;
                Ok(ChannelMember {
                    is_me: member_id == me,
                    member_id,
                    role: r.get(1)?,
                    side: parse_side(&r.get::<_, String>(2)?),
                    name: r.get(3)?,
                    key_id: r.get(4)?,
                    fingerprint: r.get(5)?,
                    verified_at: r.get(6)?,
                    verified_by: r.get(7)?,
                })
            })
            .ctx("read the channel's members")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the channel's members")?;
        Ok(channel)
    }

    pub fn channels(&self) -> Result<Vec<Channel>> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM channel ORDER BY created_at")
                .ctx("list channels")?;
            stmt.query_map([], |r| r.get(0))
                .ctx("list channels")?
                .collect::<rusqlite::Result<_>>()
                .ctx("list channels")?
        };
        ids.iter().map(|id| self.channel(id)).collect()
    }

    /// The channel an assignment is shared on, from this install's side.
    pub fn channel_for_assignment(&self, assignment_id: &str) -> Result<Option<Channel>> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM channel WHERE assignment_id = ?1 ORDER BY created_at DESC LIMIT 1",
                [assignment_id.trim()],
                |r| r.get(0),
            )
            .optional()
            .ctx("find the assignment's channel")?;
        id.map(|id| self.channel(&id)).transpose()
    }

    pub fn channel_access(&self, id: &str) -> Result<ChannelAccess> {
        self.conn
            .query_row(
                "SELECT id, relay_url, cert_sha256, ca_pem, access_token, member_id, side, cursor FROM channel WHERE id = ?1",
                [id],
                |r| {
                    Ok(ChannelAccess {
                        id: r.get(0)?,
                        relay: RelayAccess { url: r.get(1)?, account_token: None, cert_sha256: r.get(2)?, ca_pem: r.get(3)? },
                        access_token: Zeroizing::new(r.get(4)?),
                        member_id: r.get(5)?,
                        side: parse_side(&r.get::<_, String>(6)?),
                        cursor: r.get(7)?,
                    })
                },
            )
            .optional()
            .ctx("read the channel")?
            .ok_or_else(|| Error::not_found("That engagement channel does not exist."))
    }

    /// Records the members the relay lists. The side of each comes from its role (the
    /// channel's opener is the firm), never from its card. On a provider's install the
    /// firm's card must carry a fingerprint the invite named; otherwise someone put
    /// other keys in the firm's place, and nothing is recorded.
    pub fn set_channel_members(
        &mut self,
        channel_id: &str,
        listed: &[ListedMember],
    ) -> Result<Vec<String>> {
        let (my_side, firm_fps): (String, String) = self
            .conn
            .query_row(
                "SELECT side, firm_fingerprints FROM channel WHERE id = ?1",
                [channel_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ctx("read the channel")?;
        let firm_fps: Vec<String> = serde_json::from_str(&firm_fps).unwrap_or_default();
        let mut warnings = Vec::new();
        let mut decoded = Vec::new();
        for m in listed {
            match PublicCard::decode(&m.card) {
                Ok(card) => decoded.push((m, card)),
                Err(e) => warnings.push(format!(
                    "member {} has an unreadable card: {e}",
                    m.member_id
                )),
            }
        }
        if my_side == "provider" {
            let owner_ok = decoded.iter().any(|(m, card)| {
                m.role == "owner"
                    && firm_fps.iter().any(|f| {
                        mandate_protocol::Fingerprint::parse(f).as_ref()
                            == Some(&card.fingerprint())
                    })
            });
            if !owner_ok {
                return Err(Error::new(
                    ErrorCode::NotAllowed,
                    "The firm's keys on the relay do not match the fingerprints in the invite. Someone may have put other keys in the firm's place: do not send anything, and call the firm to compare fingerprints.",
                ));
            }
        }
        let tx = self
            .conn
            .transaction()
            .ctx("record the channel's members")?;
        for (m, card) in &decoded {
            let side = if m.role == "owner" {
                "firm"
            } else {
                "provider"
            };
            tx.execute(
                "INSERT INTO channel_member (channel_id, member_id, role, side, name, card, key_id, fingerprint, acked_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (channel_id, member_id) DO UPDATE SET
                   acked_seq = max(acked_seq, excluded.acked_seq),
                   verified_at = CASE WHEN card = excluded.card THEN verified_at ELSE NULL END,
                   verified_by = CASE WHEN card = excluded.card THEN verified_by ELSE NULL END,
                   role = excluded.role, side = excluded.side, name = excluded.name, card = excluded.card,
                   key_id = excluded.key_id, fingerprint = excluded.fingerprint",
                params![channel_id, m.member_id, m.role, side, card.name(), card.encode(), card.key_id().0, card.fingerprint().to_string(), m.acked],
            )
            .ctx("record the channel's members")?;
            // On the provider's side the firm was checked against the invite above.
            if my_side == "provider" && m.role == "owner" {
                tx.execute(
                    "UPDATE channel_member SET verified_at = coalesce(verified_at, ?3), verified_by = coalesce(verified_by, 'invite') WHERE channel_id = ?1 AND member_id = ?2",
                    params![channel_id, m.member_id, self.clock.stamp()],
                )
                .ctx("record the channel's members")?;
            }
        }
        tx.commit().ctx("record the channel's members")?;
        Ok(warnings)
    }

    /// Marks the member with `fingerprint` verified, after the two sides compared it.
    pub fn verify_member(&mut self, channel_id: &str, fingerprint: &str) -> Result<ChannelMember> {
        let wanted = mandate_protocol::Fingerprint::parse(fingerprint).ok_or_else(|| {
            Error::invalid(
                "fingerprint",
                "A fingerprint is six groups of five digits, as `mandate invite status` shows it.",
            )
        })?;
        let channel = self.channel(channel_id)?;
        let member = channel
            .members
            .iter()
            .find(|m| {
                mandate_protocol::Fingerprint::parse(&m.fingerprint).as_ref() == Some(&wanted)
            })
            .ok_or_else(|| {
                Error::not_found(
                    "No member of this channel has that fingerprint. Sync, then compare again.",
                )
            })?
            .clone();
        let tx = self
            .conn
            .transaction()
            .ctx("mark the fingerprint verified")?;
        tx.execute(
            "UPDATE channel_member SET verified_at = ?3, verified_by = ?4 WHERE channel_id = ?1 AND member_id = ?2",
            params![channel_id, member.member_id, self.clock.stamp(), self.actor],
        )
        .ctx("mark the fingerprint verified")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "channel.verify",
            "channel",
            channel_id,
            &json!({ "member_id": member.member_id, "fingerprint": member.fingerprint }),
        )?;
        tx.commit().ctx("mark the fingerprint verified")?;
        self.record_audit_head();
        self.channel(channel_id)?
            .members
            .into_iter()
            .find(|m| m.member_id == member.member_id)
            .ok_or_else(|| Error::internal("The member vanished."))
    }

    /// The channel's members as a receiver checks envelopes against them.
    pub fn channel_peers(&self, channel_id: &str) -> Result<Vec<Peer>> {
        let mut stmt = self
            .conn
            .prepare("SELECT side, card FROM channel_member WHERE channel_id = ?1")
            .ctx("read the channel's members")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([channel_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .ctx("read the channel's members")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the channel's members")?;
        Ok(rows
            .into_iter()
            .filter_map(|(side, card)| {
                PublicCard::decode(&card).ok().map(|c| Peer {
                    keys: c.keys().clone(),
                    side: protocol_side(parse_side(&side)),
                })
            })
            .collect())
    }

    /// Everyone an envelope on this channel is encrypted to: its members (this
    /// device among them, so it can read back what it sent).
    pub fn channel_recipients(&self, channel_id: &str) -> Result<Vec<PublicKeys>> {
        Ok(self
            .channel_peers(channel_id)?
            .into_iter()
            .map(|p| p.keys)
            .collect())
    }

    // ---- what goes out ----

    /// Queues what the firm chose to send with an assignment, and writes the
    /// disclosure ledger's row, in one transaction. Items already sent at the same
    /// revision are not sent again.
    ///
    /// The send guard decides first (`today` is the lawyer's date): a Block queues
    /// nothing, records the refused send in the ledger with its reasons, and returns
    /// an error that says what would satisfy each.
    pub fn share(&mut self, req: &ShareRequest, today: &str) -> Result<Vec<OutboxEntry>> {
        self.share_decided(req, today, None)
    }

    /// [`Store::share`] past a Block of the send guard, for this one send: only an
    /// attorney at this desk may, and only with a written reason. The ledger row is
    /// marked `override`, with the reason, the blocking reasons and who decided.
    pub fn share_overriding(
        &mut self,
        req: &ShareRequest,
        today: &str,
        reason: &str,
    ) -> Result<Vec<OutboxEntry>> {
        self.share_decided(req, today, Some(reason))
    }

    fn share_decided(
        &mut self,
        req: &ShareRequest,
        today: &str,
        override_reason: Option<&str>,
    ) -> Result<Vec<OutboxEntry>> {
        let assignment = self.assignment(&req.assignment_id)?;
        let channel = self
            .channel_for_assignment(&assignment.id)?
            .filter(|c| c.side == Side::Firm)
            .ok_or_else(|| Error::new(ErrorCode::NotAllowed, "This work order is not shared with a provider yet. Create an invite first: mandate invite create --assignment ID --relay URL"))?;
        if !channel.members.iter().any(|m| m.side == Side::Provider) {
            return Err(Error::new(
                ErrorCode::NotAllowed,
                "The provider has not joined yet. Send them the invite code, run mandate sync after they join, then share.",
            ));
        }
        if !req.brief && req.document_versions.is_empty() && req.deadlines.is_empty() {
            return Err(Error::invalid(
                "items",
                "Choose what to send: --brief, --document VERSION_ID or --deadline DEADLINE_ID.",
            ));
        }
        let recipients: Vec<String> = channel
            .members
            .iter()
            .filter(|m| !m.is_me)
            .map(|m| m.fingerprint.clone())
            .collect();
        let guard = self.guard_check(req, today)?;
        let overridden = match override_reason.map(str::trim) {
            Some(reason) if guard.decision == Decision::Block => {
                let who = self.desk_person()?;
                if !who
                    .as_ref()
                    .is_some_and(|p| p.role == mandate_core::person::PersonRole::Attorney)
                {
                    return Err(Error::new(
                        ErrorCode::NotAllowed,
                        "Only an attorney may override the send guard. Choose who is at this desk (Settings, or mandate person use NAME); a paralegal or staff member cannot override.",
                    ));
                }
                if reason.is_empty() {
                    return Err(Error::invalid(
                        "override_reason",
                        "Write why this send goes despite the guard's block; the reason is kept in the ledger.",
                    ));
                }
                Some(reason.to_owned())
            }
            _ => None,
        };
        if guard.decision == Decision::Block && overridden.is_none() {
            self.record_blocked_send(&assignment, req, &guard)?;
            return Err(Error::new(
                ErrorCode::NotAllowed,
                format!(
                    "The send guard blocked this send; nothing left the firm. {}",
                    guard.blocking_summary()
                ),
            ));
        }
        let deadlines = req
            .deadlines
            .iter()
            .map(|id| self.deadline(id))
            .collect::<Result<Vec<_>>>()?;
        let mut queued = Vec::new();
        let mut disclosed = Vec::new();
        let tx = self.conn.transaction().ctx("queue what is shared")?;
        // Sharing a work order still in draft sends it: it moves to "sent" with
        // what goes, so the provider's first move (accept) meets the state it expects.
        let status = if assignment.status == AssignmentStatus::Draft {
            let next = mandate_core::assignment::transition(
                assignment.status,
                AssignmentStatus::Sent,
                Side::Firm,
            )?;
            tx.execute(
                "UPDATE assignment SET status = ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?1",
                params![assignment.id, next.as_str(), self.clock.stamp()],
            )
            .ctx("send the work order")?;
            audit::append(
                &tx,
                &self.actor,
                &self.clock.stamp(),
                "assignment.move",
                "assignment",
                &assignment.id,
                &json!({ "matter_id": assignment.matter_id, "from": assignment.status, "to": next, "side": Side::Firm, "because": "shared" }),
            )?;
            next
        } else {
            assignment.status
        };
        if req.brief {
            let item = format!("brief-{}", assignment.id);
            let body = ItemBody::Brief {
                scope: assignment.scope.clone(),
                instructions: assignment.instructions.clone(),
                due_on: assignment.due_on.clone(),
                status,
            };
            let revision = held_in(&tx, &channel.id, &item)?.unwrap_or(0) + 1;
            let content = serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
            queued.push(enqueue(
                &tx,
                &self.clock.stamp(),
                &channel.id,
                &item,
                ItemKind::Brief,
                revision,
                &content,
                None,
                "brief",
                Side::Firm,
            )?);
            disclosed.push(DisclosedItem {
                kind: "brief".into(),
                id: assignment.id.to_string(),
                sha256: None,
                label: Some(format!("scope, instructions, due {}", assignment.due_on)),
            });
        }
        for version_id in &req.document_versions {
            let row: Option<SharedVersion> = tx
                .query_row(
                    "SELECT v.document_id, v.version, v.file_name, v.media_type, v.size, v.sha256, d.title, d.matter_id
                     FROM document_version v JOIN document d ON d.id = v.document_id WHERE v.id = ?1",
                    [version_id.trim()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
                )
                .optional()
                .ctx("read the document version")?;
            let Some((document_id, version, file_name, media_type, size, sha256, title, matter_id)) =
                row
            else {
                return Err(Error::not_found(format!(
                    "There is no document version {version_id}. List the matter's documents to find version ids."
                )));
            };
            if matter_id != assignment.matter_id {
                return Err(Error::invalid(
                    "document_versions",
                    format!(
                        "{file_name} belongs to another matter; only this matter's documents can go with this work order."
                    ),
                ));
            }
            if held_in(&tx, &channel.id, &document_id)?.is_some_and(|h| h >= version as u64) {
                continue;
            }
            let body = ItemBody::File {
                title: title.clone(),
                file_name: file_name.clone(),
                media_type,
                version,
                size,
                sha256: sha256.clone(),
            };
            let mut content =
                serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
            content.push(b'\n');
            let label = format!("document {file_name} v{version}");
            queued.push(enqueue(
                &tx,
                &self.clock.stamp(),
                &channel.id,
                &document_id,
                ItemKind::Document,
                version as u64,
                &content,
                Some((&sha256, size)),
                &label,
                Side::Firm,
            )?);
            disclosed.push(DisclosedItem {
                kind: "document".into(),
                id: version_id.trim().to_owned(),
                sha256: Some(sha256),
                label: Some(label),
            });
        }
        for d in &deadlines {
            if d.matter_id != assignment.matter_id {
                return Err(Error::invalid(
                    "deadlines",
                    format!("The deadline \"{}\" belongs to another matter.", d.title),
                ));
            }
            let body = ItemBody::Deadline {
                title: d.title.clone(),
                due_date: d.due_date.clone(),
                due_at: d.due_at.clone(),
                time_zone: d.time_zone.clone(),
            };
            let revision = held_in(&tx, &channel.id, &d.id)?.unwrap_or(0) + 1;
            let content = serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
            let label = format!("deadline {} ({})", d.title, d.due_date);
            queued.push(enqueue(
                &tx,
                &self.clock.stamp(),
                &channel.id,
                &d.id,
                ItemKind::Deadline,
                revision,
                &content,
                None,
                &label,
                Side::Firm,
            )?);
            disclosed.push(DisclosedItem {
                kind: "deadline".into(),
                id: d.id.to_string(),
                sha256: None,
                label: Some(label),
            });
        }
        if !disclosed.is_empty() {
            insert_disclosure(
                &tx,
                &self.clock.stamp(),
                &self.actor,
                &DisclosureDraft {
                    matter_id: assignment.matter_id.clone(),
                    provider_id: assignment.provider_id.clone(),
                    assignment_id: Some(assignment.id.clone()),
                    consent_id: guard.consent_id.clone(),
                    items: disclosed,
                    decision: match (guard.decision, &overridden) {
                        (_, Some(_)) => DisclosureDecision::Override,
                        (Decision::AllowWithConditions, _) => {
                            DisclosureDecision::AllowWithConditions
                        }
                        _ => DisclosureDecision::Allow,
                    },
                    reasons: guard
                        .reasons
                        .iter()
                        .map(|r| format!("{} ({})", r.message, r.rule))
                        .collect(),
                    override_reason: overridden.clone(),
                    recipients: recipients.clone(),
                },
            )?;
        }
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "exchange.share",
            "assignment",
            &assignment.id,
            &json!({ "channel_id": channel.id, "items": queued.len() }),
        )?;
        tx.commit().ctx("queue what is shared")?;
        self.record_audit_head();
        queued.iter().map(|id| self.outbox_entry(id)).collect()
    }

    /// A send the guard blocked: a ledger row (decision `block`, what was asked for,
    /// the reasons), so the refusal is on the record too.
    fn record_blocked_send(
        &mut self,
        assignment: &mandate_core::Assignment,
        req: &ShareRequest,
        guard: &GuardDecision,
    ) -> Result<()> {
        let items = req
            .brief
            .then(|| DisclosedItem {
                kind: "brief".into(),
                id: assignment.id.to_string(),
                sha256: None,
                label: Some("brief".into()),
            })
            .into_iter()
            .chain(req.document_versions.iter().map(|v| DisclosedItem {
                kind: "document".into(),
                id: v.to_string(),
                sha256: None,
                label: None,
            }))
            .chain(req.deadlines.iter().map(|d| DisclosedItem {
                kind: "deadline".into(),
                id: d.to_string(),
                sha256: None,
                label: None,
            }))
            .collect();
        let tx = self.conn.transaction().ctx("record the blocked send")?;
        insert_disclosure(
            &tx,
            &self.clock.stamp(),
            &self.actor,
            &DisclosureDraft {
                matter_id: assignment.matter_id.clone(),
                provider_id: assignment.provider_id.clone(),
                assignment_id: Some(assignment.id.clone()),
                consent_id: guard.consent_id.clone(),
                items,
                decision: DisclosureDecision::Block,
                reasons: guard
                    .reasons
                    .iter()
                    .filter(|r| r.blocks)
                    .map(|r| format!("{} ({})", r.message, r.rule))
                    .collect(),
                override_reason: None,
                recipients: vec![],
            },
        )?;
        tx.commit().ctx("record the blocked send")?;
        self.record_audit_head();
        Ok(())
    }

    /// The provider delivers a file on an engagement.
    pub fn deliver(
        &mut self,
        channel_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<OutboxEntry> {
        let channel = self.channel(channel_id)?;
        if channel.side != Side::Provider {
            return Err(Error::new(
                ErrorCode::NotAllowed,
                "Only a provider delivers files; on the firm's side, add the file to the matter's documents.",
            ));
        }
        let file_name = file_name.trim();
        if file_name.is_empty() || bytes.is_empty() {
            return Err(Error::invalid("file", "Choose a file that is not empty."));
        }
        let sha256 = crate::sha256_hex(bytes);
        let size = bytes.len() as i64;
        let media_type = mandate_extract::Format::detect(file_name, bytes)
            .media_type()
            .to_owned();
        let item = uuid::Uuid::now_v7().to_string();
        let title = std::path::Path::new(file_name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(file_name)
            .to_owned();
        let body = ItemBody::File {
            title: title.clone(),
            file_name: file_name.to_owned(),
            media_type,
            version: 1,
            size,
            sha256: sha256.clone(),
        };
        let mut content = serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
        content.push(b'\n');
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("deliver the file")?;
        crate::blobs::put(&tx, &sha256, bytes)?;
        tx.execute(
            "INSERT INTO engagement_item (channel_id, item_id, kind, revision, from_side, title, blob_sha256, size, at) VALUES (?1, ?2, 'deliverable', 1, 'provider', ?3, ?4, ?5, ?6)",
            params![channel_id, item, file_name, sha256, size, now],
        )
        .ctx("deliver the file")?;
        let id = enqueue(
            &tx,
            &now,
            channel_id,
            &item,
            ItemKind::Deliverable,
            1,
            &content,
            Some((&sha256, size)),
            &format!("deliverable {file_name}"),
            Side::Provider,
        )?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "exchange.deliver",
            "channel",
            channel_id,
            &json!({ "item": item, "sha256": sha256, "size": size }),
        )?;
        tx.commit().ctx("deliver the file")?;
        self.record_audit_head();
        self.outbox_entry(&id)
    }

    /// A message on a shared assignment (firm) or an engagement (provider), queued
    /// to go. On the firm's side it also lands in the matter's messages.
    ///
    /// A firm's message is scanned for sensitive numbers first, as everything else
    /// that leaves the firm is: with a hit it is refused (field `sensitive`, each hit
    /// named with its context) unless the person at this desk keeps them on purpose
    /// ([`Store::send_exchange_message_kept`]).
    pub fn send_exchange_message(&mut self, channel_id: &str, text: &str) -> Result<OutboxEntry> {
        self.send_exchange_message_kept(channel_id, text, false)
    }

    /// As [`Store::send_exchange_message`]; with `keep` the person at this desk sends
    /// a firm's message with the sensitive numbers in it on purpose (recorded in the
    /// audit chain by their kinds, never the numbers).
    pub fn send_exchange_message_kept(
        &mut self,
        channel_id: &str,
        text: &str,
        keep: bool,
    ) -> Result<OutboxEntry> {
        let channel = self.channel(channel_id)?;
        let text = text.trim();
        if text.is_empty() || text.len() > 100_000 {
            return Err(Error::invalid(
                "text",
                "Write the message (at most 100,000 characters).",
            ));
        }
        let desk = self.desk_person()?;
        let hits = if channel.side == Side::Firm {
            mandate_core::scan::scan(text)
        } else {
            Vec::new()
        };
        if !hits.is_empty() && !keep {
            let listed: Vec<String> = hits
                .iter()
                .map(|h| format!("{} in \"{}\"", h.kind.label(), h.context))
                .collect();
            return Err(Error::invalid(
                "sensitive",
                format!(
                    "The message holds {} sensitive number{}: {}. Take {} out (or write [REDACTED]), or have the person at this desk send it as it is.",
                    hits.len(),
                    if hits.len() == 1 { "" } else { "s" },
                    listed.join("; "),
                    if hits.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        if !hits.is_empty() && desk.is_none() {
            return Err(Error::invalid(
                "sensitive",
                "Only a named person may send sensitive numbers on purpose: choose who is at this desk (Settings → People of the firm, or mandate person use NAME).",
            ));
        }
        // The provider reads who wrote: the person at the desk, and the firm.
        let device = self.device_name()?;
        let author = match &desk {
            Some(p) if p.name != device => format!("{} ({device})", p.name),
            _ => device,
        };
        let now = self.clock.stamp();
        let item = uuid::Uuid::now_v7().to_string();
        let body = ItemBody::Message {
            author: author.clone(),
            text: text.to_owned(),
            sent_at: now.clone(),
        };
        let content = serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
        let tx = self.conn.transaction().ctx("send the message")?;
        record_message(
            &tx,
            &now,
            &channel,
            &item,
            &author,
            text,
            &now,
            channel.side,
        )?;
        let id = enqueue(
            &tx,
            &now,
            channel_id,
            &item,
            ItemKind::Message,
            1,
            &content,
            None,
            "message",
            channel.side,
        )?;
        // The kinds only: a hash of a number with as few values as an SSN could be
        // reversed by trying them all, so the record never holds one.
        let kept: Vec<&str> = hits.iter().map(|h| h.kind.label()).collect();
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "exchange.message",
            "channel",
            channel_id,
            &if kept.is_empty() {
                json!({ "item": item })
            } else {
                json!({ "item": item, "sensitive_kept": kept })
            },
        )?;
        tx.commit().ctx("send the message")?;
        self.record_audit_head();
        self.outbox_entry(&id)
    }

    /// The provider moves its engagement (accept, start, deliver), if the
    /// assignment's state machine gives it that move; the move is queued to go.
    pub fn move_engagement(
        &mut self,
        channel_id: &str,
        to: AssignmentStatus,
    ) -> Result<Engagement> {
        let engagement = self.engagement(channel_id)?;
        let next = transition(engagement.status, to, Side::Provider)?;
        let tx = self.conn.transaction().ctx("move the engagement")?;
        tx.execute(
            "UPDATE engagement SET status = ?2, updated_at = ?3 WHERE channel_id = ?1",
            params![channel_id, next.as_str(), self.clock.stamp()],
        )
        .ctx("move the engagement")?;
        queue_status(
            &tx,
            &self.clock.stamp(),
            channel_id,
            engagement.status,
            next,
            Side::Provider,
        )?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "engagement.move",
            "channel",
            channel_id,
            &json!({ "from": engagement.status, "to": next }),
        )?;
        tx.commit().ctx("move the engagement")?;
        self.record_audit_head();
        self.engagement(channel_id)
    }

    /// What the send guard says of sending `req`'s items today (`YYYY-MM-DD`, the
    /// firm's local date), from the facts this store holds. The sensitive-number scan,
    /// AI-use consent and export authorizations are not yet recorded by the store, so
    /// they read as "not on file".
    pub fn guard_check(&self, req: &ShareRequest, today: &str) -> Result<GuardDecision> {
        let assignment = self.assignment(&req.assignment_id)?;
        let matter = self.matter(&assignment.matter_id)?;
        let provider = self.provider(&assignment.provider_id)?;
        let consents = self.list_consents(&ConsentFilter {
            matter_id: Some(matter.id.clone()),
            provider_id: None,
        })?;
        // Each item as the scan finds it: the hits nobody kept on purpose are open
        // (a redacted version, being a version of its own, has none).
        let items: Vec<OutgoingItem> = self
            .scan_share(req)?
            .iter()
            .map(|scan| OutgoingItem {
                kind: scan.kind.clone(),
                label: scan.label.clone(),
                unresolved_hits: scan.open(),
            })
            .collect();
        let conflict = self
            .latest_conflict_check(&matter.id, Some(&provider.id))?
            .map(|c| ConflictClearance {
                checked_on: c.checked_at.get(..10).unwrap_or_default().to_owned(),
                checked_by: c.checked_by.clone(),
                open_matches: c.open_matches(),
            });
        let verified = self
            .channel_for_assignment(&assignment.id)?
            .is_some_and(|c| {
                let theirs: Vec<_> = c
                    .members
                    .iter()
                    .filter(|m| m.side == Side::Provider)
                    .collect();
                !theirs.is_empty() && theirs.iter().all(|m| m.verified_at.is_some())
            });
        Ok(send_guard(&GuardInput {
            today,
            matter: &matter,
            provider: &provider,
            assignment: &assignment,
            consents: &consents,
            items: &items,
            conflict_check: conflict.as_ref(),
            fingerprints_verified: verified,
            ai_use_consented: consents
                .iter()
                .any(|c| c.provider_id == provider.id && c.covers_ai_use),
            export_authorization: provider.export_clearance.as_deref(),
        }))
    }

    // ---- the outbox ----

    fn outbox_entry(&self, envelope_id: &str) -> Result<OutboxEntry> {
        self.conn
            .query_row(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE envelope_id = ?1"),
                [envelope_id],
                outbox_row,
            )
            .optional()
            .ctx("read the outbox")?
            .ok_or_else(|| {
                Error::not_found("No such item in the outbox. List it with: mandate outbox")
            })
    }

    /// The outbox: what waits, what needs attention, and (with `include_sent`) what went.
    pub fn outbox(&self, include_sent: bool) -> Result<Vec<OutboxEntry>> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox {} ORDER BY created_at, envelope_id",
            if include_sent {
                ""
            } else {
                "WHERE state <> 'sent'"
            }
        );
        let mut stmt = self.conn.prepare(&sql).ctx("read the outbox")?;
        stmt.query_map([], outbox_row)
            .ctx("read the outbox")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the outbox")
    }

    /// Queued items whose time has come (`now` RFC 3339), oldest first.
    pub fn outbox_due(&self, now: &str) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = 'queued' AND (next_attempt_at IS NULL OR julianday(next_attempt_at) <= julianday(?1)) ORDER BY created_at, envelope_id"))
            .ctx("read the outbox")?;
        stmt.query_map([now], outbox_row)
            .ctx("read the outbox")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the outbox")
    }

    /// The plaintext an outbox item seals, whole: its content, then the file it
    /// names (small items; large ones go through [`Store::outbox_payload_reader`]).
    pub fn outbox_payload(&self, envelope_id: &str) -> Result<Vec<u8>> {
        let mut reader = self.outbox_payload_reader(envelope_id)?;
        let mut payload = Vec::with_capacity(reader.len as usize);
        std::io::Read::read_to_end(&mut reader, &mut payload).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Could not read the file to send: {e}"),
            )
        })?;
        Ok(payload)
    }

    pub fn outbox_sent(&mut self, envelope_id: &str) -> Result<()> {
        self.conn
            .execute("UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL, attempts = attempts + 1 WHERE envelope_id = ?1", params![envelope_id, self.clock.stamp()])
            .ctx("note the item was sent")?;
        Ok(())
    }

    /// A transient failure: try again at `next_attempt_at`.
    pub fn outbox_retry_later(
        &mut self,
        envelope_id: &str,
        next_attempt_at: &str,
        error: &str,
    ) -> Result<()> {
        self.conn
            .execute("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE envelope_id = ?1", params![envelope_id, next_attempt_at, error])
            .ctx("note the item will be tried again")?;
        Ok(())
    }

    /// An item not tried this round because the relay asked to wait: it gets the
    /// same time and reason as the one that was tried, without counting an attempt.
    pub fn outbox_hold(
        &mut self,
        envelope_id: &str,
        next_attempt_at: &str,
        reason: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 WHERE envelope_id = ?1",
                params![envelope_id, next_attempt_at, reason],
            )
            .ctx("note the item waits")?;
        Ok(())
    }

    /// A permanent failure: the item needs a person's attention.
    pub fn outbox_failed(&mut self, envelope_id: &str, reason: &str) -> Result<()> {
        self.conn
            .execute("UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2 WHERE envelope_id = ?1", params![envelope_id, reason])
            .ctx("note the item failed")?;
        Ok(())
    }

    /// Puts an item that needed attention back in the queue.
    pub fn outbox_retry(&mut self, envelope_id: &str) -> Result<OutboxEntry> {
        let changed = self
            .conn
            .execute("UPDATE outbox SET state = 'queued', next_attempt_at = NULL WHERE envelope_id = ?1 AND state = 'failed'", [envelope_id.trim()])
            .ctx("retry the item")?;
        if changed == 0 {
            return Err(Error::not_found(
                "No failed item has that id. List them with: mandate outbox",
            ));
        }
        self.outbox_entry(envelope_id.trim())
    }

    // ---- what comes in ----

    pub fn held_revision(&self, channel_id: &str, item_id: &str) -> Result<Option<u64>> {
        held_in(&self.conn, channel_id, item_id)
    }

    /// Moves a channel's cursor past envelopes that need no applying (this device's own).
    pub fn advance_cursor(&mut self, channel_id: &str, seq: i64) -> Result<()> {
        move_cursor(&self.conn, &self.clock.stamp(), channel_id, seq)
    }

    /// Opens one transaction for a run of received envelopes: each apply, refusal
    /// and own-envelope note inside it is a savepoint of its own (so one that fails
    /// leaves the others), and the run commits once with
    /// [`Store::end_receiving`]. The sync engine holds it only while applying what
    /// it already has, never across a request to a relay, since the window's own
    /// writes wait for it. Calling it inside a run does nothing.
    pub fn begin_receiving(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .ctx("apply what was received")?;
        }
        Ok(())
    }

    /// Commits the run [`Store::begin_receiving`] opened, if one is open.
    pub fn end_receiving(&mut self) -> Result<()> {
        if !self.conn.is_autocommit() {
            self.conn
                .execute_batch("COMMIT")
                .ctx("apply what was received")?;
        }
        Ok(())
    }

    /// One of this install's own envelopes, listed back by the relay: its sequence
    /// number is kept (for "received by the other side") and the cursor moves past it.
    pub fn own_envelope_listed(
        &mut self,
        channel_id: &str,
        seq: i64,
        envelope_id: &str,
    ) -> Result<()> {
        // A savepoint: its own transaction, or part of a batch of received envelopes
        // ([`Store::begin_receiving`]).
        let tx = self.conn.savepoint().ctx("note the item was sent")?;
        tx.execute(
            "UPDATE outbox SET seq = ?3 WHERE envelope_id = ?2 AND channel_id = ?1",
            params![channel_id, envelope_id, seq],
        )
        .ctx("note the item was sent")?;
        move_cursor(&tx, &self.clock.stamp(), channel_id, seq)?;
        tx.commit().ctx("note the item was sent")
    }

    /// Records an envelope that was refused, and moves past it.
    pub fn record_rejection(
        &mut self,
        channel_id: &str,
        seq: i64,
        envelope_id: &str,
        code: &str,
        reason: &str,
    ) -> Result<()> {
        // A savepoint: its own transaction, or part of a batch of received envelopes
        // ([`Store::begin_receiving`]).
        let tx = self.conn.savepoint().ctx("record the refused envelope")?;
        tx.execute(
            "INSERT OR REPLACE INTO exchange_rejection (channel_id, seq, envelope_id, code, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![channel_id, seq, envelope_id, code, reason, self.clock.stamp()],
        )
        .ctx("record the refused envelope")?;
        move_cursor(&tx, &self.clock.stamp(), channel_id, seq)?;
        clear_pieces(&tx, envelope_id)?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "exchange.reject",
            "channel",
            channel_id,
            &json!({ "seq": seq, "envelope_id": envelope_id, "code": code }),
        )?;
        tx.commit().ctx("record the refused envelope")?;
        self.record_audit_head();
        Ok(())
    }

    pub fn rejections(&self) -> Result<Vec<ExchangeRejection>> {
        let mut stmt = self.conn.prepare("SELECT channel_id, seq, envelope_id, code, reason, at FROM exchange_rejection ORDER BY at, seq").ctx("read refused envelopes")?;
        stmt.query_map([], |r| {
            Ok(ExchangeRejection {
                channel_id: r.get(0)?,
                seq: r.get(1)?,
                envelope_id: r.get(2)?,
                code: r.get(3)?,
                reason: r.get(4)?,
                at: r.get(5)?,
            })
        })
        .ctx("read refused envelopes")?
        .collect::<rusqlite::Result<_>>()
        .ctx("read refused envelopes")
    }

    /// Applies an opened envelope: what it changes, the revision held, and the
    /// channel's cursor, in one transaction. An item the receiving side cannot take
    /// (a status move its state machine refuses, a file whose hash is wrong) is an
    /// error; the caller records it as refused.
    pub fn apply_received(
        &mut self,
        channel_id: &str,
        seq: i64,
        opened: &Opened,
        content: &[u8],
    ) -> Result<String> {
        let (body, file) = split_content(opened.header.kind, content)?;
        self.apply_item(channel_id, seq, opened, body, FileSource::Bytes(file))
    }

    /// [`Store::apply_received`] for a large item whose content was written through
    /// [`Store::incoming_writer`]: a file's parts, already written and checked against
    /// its stated size and hash, become its blob by one row, never whole in memory.
    pub fn apply_incoming(
        &mut self,
        channel_id: &str,
        seq: i64,
        opened: &Opened,
        incoming: Incoming,
    ) -> Result<String> {
        let kind = opened.header.kind;
        let bad = |what: &str| {
            Error::new(
                ErrorCode::Corrupt,
                format!("The {kind} received is not readable ({what})."),
            )
        };
        match incoming {
            Incoming::Content {
                too_large: true, ..
            } => Err(bad("too large")),
            Incoming::Content { bytes, .. } => self.apply_received(channel_id, seq, opened, &bytes),
            Incoming::File(file) => {
                if !matches!(kind, ItemKind::Document | ItemKind::Deliverable) {
                    return Err(bad("its content is of another kind"));
                }
                if !file.matches {
                    return Err(bad("the file does not match its stated size and SHA-256"));
                }
                let body = file.body.clone();
                self.apply_item(channel_id, seq, opened, body, FileSource::Parts(file))
            }
        }
    }

    fn apply_item(
        &mut self,
        channel_id: &str,
        seq: i64,
        opened: &Opened,
        body: ItemBody,
        file: FileSource<'_>,
    ) -> Result<String> {
        let channel = self.channel(channel_id)?;
        let from = core_side(opened.sender_side);
        let h = &opened.header;
        let sender_name: String = self
            .conn
            .query_row(
                "SELECT name FROM channel_member WHERE channel_id = ?1 AND key_id = ?2",
                [channel_id, &h.sender.0],
                |r| r.get(0),
            )
            .optional()
            .ctx("read the sender")?
            .unwrap_or_else(|| from.as_str().to_owned());
        // Reading a deliverable's text happens before the transaction (it runs a
        // child process).
        let prepared = match (&body, channel.side, h.kind) {
            (ItemBody::File { file_name, .. }, Side::Firm, ItemKind::Deliverable) => {
                let assignment = self.assignment(&channel.assignment_id)?;
                let upload = DocumentUpload {
                    matter_id: assignment.matter_id.clone(),
                    document_id: None,
                    title: None,
                    file_name: file_name.clone(),
                    owner: Some(DocumentOwner::Provider),
                    assignment_id: Some(assignment.id.clone()),
                    note: Some(format!("from {sender_name}")),
                };
                let prepared = match &file {
                    FileSource::Bytes(bytes) => prepare_document(&upload, bytes, &self.extractor)?,
                    FileSource::Parts(st) => prepare_stored_document(
                        &upload,
                        st.size as usize,
                        st.sha256.clone(),
                        &st.head,
                    )?,
                };
                Some((upload, prepared))
            }
            _ => None,
        };
        let now = self.clock.stamp();
        // A savepoint: its own transaction, or part of a batch of received envelopes
        // ([`Store::begin_receiving`]).
        let tx = self.conn.savepoint().ctx("apply what was received")?;
        // A file goes into its blob first (checked against its stated size and hash).
        let stored = match (&body, &file) {
            (ItemBody::File { .. }, source) => Some(store_file(&tx, source)?),
            _ => None,
        };
        let label = match (channel.side, &body) {
            (
                Side::Provider,
                ItemBody::Brief {
                    scope,
                    instructions,
                    due_on,
                    status,
                },
            ) => {
                tx.execute(
                    "UPDATE engagement SET scope = ?2, instructions = ?3, due_on = ?4, status = CASE WHEN status = 'sent' OR status = 'draft' THEN ?5 ELSE status END, updated_at = ?6 WHERE channel_id = ?1",
                    params![channel_id, scope, instructions, due_on, if status.as_str() == "draft" { "sent" } else { status.as_str() }, now],
                )
                .ctx("apply the brief")?;
                format!("brief (revision {})", h.revision)
            }
            (
                Side::Provider,
                ItemBody::File {
                    file_name, version, ..
                },
            ) => {
                let (sha, size) = stored.clone().unwrap_or_default();
                store_engagement_file(
                    &tx, channel_id, &h.item, "document", h.revision, from, file_name, &sha, size,
                    &now,
                )?;
                format!("document {file_name} v{version}")
            }
            (
                Side::Provider,
                ItemBody::Deadline {
                    title,
                    due_date,
                    due_at,
                    time_zone,
                },
            ) => {
                let text = match due_at {
                    Some(at) => format!("{due_date} ({at}, {time_zone})"),
                    None => due_date.clone(),
                };
                tx.execute(
                    "INSERT INTO engagement_item (channel_id, item_id, kind, revision, from_side, title, body, at) VALUES (?1, ?2, 'deadline', ?3, 'firm', ?4, ?5, ?6)
                     ON CONFLICT (channel_id, item_id) DO UPDATE SET revision = excluded.revision, title = excluded.title, body = excluded.body, at = excluded.at",
                    params![channel_id, h.item, h.revision as i64, title, text, now],
                )
                .ctx("apply the deadline")?;
                format!("deadline {title} ({due_date})")
            }
            (
                _,
                ItemBody::Message {
                    author,
                    text,
                    sent_at,
                },
            ) => {
                record_message(&tx, &now, &channel, &h.item, author, text, sent_at, from)?;
                format!("message from {author}")
            }
            (Side::Provider, ItemBody::Status { to, .. }) => {
                let current: String = tx
                    .query_row(
                        "SELECT status FROM engagement WHERE channel_id = ?1",
                        [channel_id],
                        |r| r.get(0),
                    )
                    .ctx("read the engagement")?;
                let next = {
                    let current = AssignmentStatus::parse(&current)?;
                    // The same move made on both sides (the firm's "sent" arriving
                    // at an engagement that starts as sent) changes nothing.
                    if current == *to {
                        current
                    } else {
                        transition(current, *to, from)?
                    }
                };
                tx.execute(
                    "UPDATE engagement SET status = ?2, updated_at = ?3 WHERE channel_id = ?1",
                    params![channel_id, next.as_str(), now],
                )
                .ctx("apply the status")?;
                format!("status {}", next.as_str())
            }
            (Side::Firm, ItemBody::Status { to, .. }) => {
                let current: String = tx
                    .query_row(
                        "SELECT status FROM assignment WHERE id = ?1",
                        [&channel.assignment_id],
                        |r| r.get(0),
                    )
                    .ctx("read the assignment")?;
                let from_status = AssignmentStatus::parse(&current)?;
                let next = if from_status == *to {
                    from_status
                } else {
                    transition(from_status, *to, from)?
                };
                tx.execute("UPDATE assignment SET status = ?2, revision = revision + 1, updated_at = ?3 WHERE id = ?1", params![channel.assignment_id, next.as_str(), now]).ctx("apply the status")?;
                audit::append(
                    &tx,
                    &sender_name,
                    &now,
                    "assignment.move",
                    "assignment",
                    &channel.assignment_id,
                    &json!({ "from": from_status, "to": next, "side": from, "via": channel_id }),
                )?;
                format!("status {}", next.as_str())
            }
            (Side::Firm, ItemBody::File { file_name, .. }) => {
                let Some((mut upload, prepared)) = prepared else {
                    return Err(Error::internal("a deliverable was not prepared"));
                };
                let existing: Option<String> = tx
                    .query_row("SELECT id FROM document WHERE id = ?1", [&h.item], |r| {
                        r.get(0)
                    })
                    .optional()
                    .ctx("read the document")?;
                upload.document_id = existing.map(Into::into);
                insert_document(
                    &tx,
                    &now,
                    &sender_name,
                    &upload,
                    &prepared,
                    None,
                    Some(&h.item),
                )?;
                format!("deliverable {file_name} from {sender_name}")
            }
            (side, _) => {
                return Err(Error::new(
                    ErrorCode::NotAllowed,
                    format!(
                        "A {} cannot be applied on the {} side.",
                        h.kind,
                        side.as_str()
                    ),
                ));
            }
        };
        tx.execute(
            "INSERT INTO exchange_item (channel_id, item_id, kind, revision, envelope_id, from_side, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (channel_id, item_id) DO UPDATE SET revision = excluded.revision, envelope_id = excluded.envelope_id, at = excluded.at",
            params![channel_id, h.item, h.kind.as_str(), h.revision as i64, h.envelope, from.as_str(), now],
        )
        .ctx("note the item's revision")?;
        move_cursor(&tx, &now, channel_id, seq)?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "exchange.receive",
            "channel",
            channel_id,
            &json!({ "seq": seq, "item": h.item, "kind": h.kind.as_str(), "revision": h.revision }),
        )?;
        clear_pieces(&tx, &h.envelope)?;
        tx.commit().ctx("apply what was received")?;
        self.record_audit_head();
        Ok(label)
    }

    // ---- engagements (provider) ----

    pub fn engagements(&self) -> Result<Vec<Engagement>> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT channel_id FROM engagement ORDER BY updated_at DESC")
                .ctx("list engagements")?;
            stmt.query_map([], |r| r.get(0))
                .ctx("list engagements")?
                .collect::<rusqlite::Result<_>>()
                .ctx("list engagements")?
        };
        ids.iter().map(|id| self.engagement(id)).collect()
    }

    pub fn engagement(&self, channel_id: &str) -> Result<Engagement> {
        let mut e = self
            .conn
            .query_row(
                "SELECT channel_id, firm_name, assignment_id, scope, instructions, due_on, status, updated_at FROM engagement WHERE channel_id = ?1",
                [channel_id.trim()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?, r.get::<_, Option<String>>(5)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()
            .ctx("read the engagement")?
            .ok_or_else(|| Error::not_found("No such engagement. List them with: mandate engagement list"))
            .and_then(|(channel_id, firm_name, assignment_id, scope, instructions, due_on, status, updated_at)| {
                Ok(Engagement { channel_id, firm_name, assignment_id: AssignmentId::from(assignment_id), scope, instructions, due_on, status: AssignmentStatus::parse(&status)?, updated_at, items: Vec::new() })
            })?;
        let mut stmt = self
            .conn
            .prepare("SELECT item_id, kind, revision, from_side, title, body, blob_sha256, size, at FROM engagement_item WHERE channel_id = ?1 ORDER BY at, item_id")
            .ctx("read the engagement")?;
        e.items = stmt
            .query_map([&e.channel_id], |r| {
                Ok(EngagementItem {
                    item_id: r.get(0)?,
                    kind: r.get(1)?,
                    revision: r.get(2)?,
                    from_side: parse_side(&r.get::<_, String>(3)?),
                    title: r.get(4)?,
                    body: r.get(5)?,
                    sha256: r.get(6)?,
                    size: r.get(7)?,
                    at: r.get(8)?,
                })
            })
            .ctx("read the engagement")?
            .collect::<rusqlite::Result<_>>()
            .ctx("read the engagement")?;
        Ok(e)
    }

    /// A file of an engagement (a document received or a deliverable made).
    pub fn engagement_file(
        &self,
        channel_id: &str,
        item_id: &str,
    ) -> Result<(EngagementItem, Vec<u8>)> {
        let e = self.engagement(channel_id)?;
        let item = e
            .items
            .into_iter()
            .find(|i| i.item_id == item_id.trim() && i.sha256.is_some())
            .ok_or_else(|| Error::not_found("That engagement has no such file."))?;
        let data = crate::blobs::read_all(&self.conn, item.sha256.as_deref().unwrap_or_default())?;
        Ok((item, data))
    }
}

/// A document version as shared: document id, version, file name, media type,
/// size, SHA-256, title, matter id.
type SharedVersion = (String, i64, String, String, i64, String, String, String);

/// An outbox row's state as shown: "received" once a member other than this install
/// holds past the envelope's sequence number (migration 0010).
macro_rules! outbox_state_sql {
    () => {
        "CASE WHEN outbox.state = 'sent' AND outbox.seq IS NOT NULL AND EXISTS (
        SELECT 1 FROM channel_member m JOIN channel c ON c.id = m.channel_id
        WHERE m.channel_id = outbox.channel_id AND m.member_id <> c.member_id AND m.acked_seq >= outbox.seq)
    THEN 'received' ELSE outbox.state END"
    };
}
pub(crate) const OUTBOX_STATE_SQL: &str = outbox_state_sql!();

const OUTBOX_COLUMNS: &str = concat!(
    "envelope_id, channel_id, item_id, kind, revision, label, size, ",
    outbox_state_sql!(),
    ", attempts, next_attempt_at, last_error, created_at, sent_at"
);

pub(crate) fn outbox_state(s: &str) -> OutboxState {
    match s {
        "sent" => OutboxState::Sent,
        "received" => OutboxState::Received,
        "failed" => OutboxState::Failed,
        _ => OutboxState::Queued,
    }
}

fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let state: String = r.get(7)?;
    Ok(OutboxEntry {
        envelope_id: r.get(0)?,
        channel_id: r.get(1)?,
        item_id: r.get(2)?,
        kind: r.get(3)?,
        revision: r.get(4)?,
        label: r.get(5)?,
        size: r.get(6)?,
        state: outbox_state(&state),
        attempts: r.get(8)?,
        next_attempt_at: r.get(9)?,
        last_error: r.get(10)?,
        created_at: r.get(11)?,
        sent_at: r.get(12)?,
    })
}

/// The revision held of an item on a channel (received, or sent by this install).
fn held_in(conn: &rusqlite::Connection, channel_id: &str, item_id: &str) -> Result<Option<u64>> {
    let held: Option<i64> = conn
        .query_row(
            "SELECT revision FROM exchange_item WHERE channel_id = ?1 AND item_id = ?2",
            [channel_id, item_id],
            |r| r.get(0),
        )
        .optional()
        .ctx("read the item's revision")?;
    Ok(held.map(|h| h as u64))
}

/// Moves a channel's cursor forward to `seq` (never back).
fn move_cursor(conn: &rusqlite::Connection, now: &str, channel_id: &str, seq: i64) -> Result<()> {
    conn.execute(
        "UPDATE channel SET cursor = max(cursor, ?2), last_sync_at = ?3 WHERE id = ?1",
        params![channel_id, seq, now],
    )
    .ctx("move the channel's cursor")?;
    Ok(())
}

/// Drops the received pieces of an envelope (applied, refused, or retried afresh).
fn clear_pieces(conn: &rusqlite::Connection, envelope_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM blob_part WHERE parts IN (SELECT parts FROM incoming_file WHERE envelope_id = ?1)",
        [envelope_id],
    )
    .ctx("clear the received parts")?;
    conn.execute(
        "DELETE FROM incoming_file WHERE envelope_id = ?1",
        [envelope_id],
    )
    .ctx("clear the received parts")?;
    Ok(())
}

/// Writes an outbox row and the revision now held of the item, inside `tx`.
#[allow(clippy::too_many_arguments)]
fn enqueue(
    tx: &rusqlite::Connection,
    now: &str,
    channel_id: &str,
    item_id: &str,
    kind: ItemKind,
    revision: u64,
    content: &[u8],
    blob: Option<(&str, i64)>,
    label: &str,
    side: Side,
) -> Result<String> {
    let envelope_id = new_envelope_id();
    tx.execute(
        "INSERT INTO outbox (envelope_id, channel_id, item_id, kind, revision, content, blob_sha256, label, size, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![envelope_id, channel_id, item_id, kind.as_str(), revision as i64, content, blob.map(|b| b.0), label, content.len() as i64 + blob.map_or(0, |b| b.1), now],
    )
    .ctx("queue the item")?;
    tx.execute(
        "INSERT INTO exchange_item (channel_id, item_id, kind, revision, envelope_id, from_side, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (channel_id, item_id) DO UPDATE SET revision = excluded.revision, envelope_id = excluded.envelope_id, at = excluded.at",
        params![channel_id, item_id, kind.as_str(), revision as i64, envelope_id, side.as_str(), now],
    )
    .ctx("queue the item")?;
    Ok(envelope_id)
}

/// Queues a status move on a channel (each move is its own item).
pub(crate) fn queue_status(
    tx: &rusqlite::Connection,
    now: &str,
    channel_id: &str,
    from: AssignmentStatus,
    to: AssignmentStatus,
    side: Side,
) -> Result<()> {
    let body = ItemBody::Status { from, to };
    let content = serde_json::to_vec(&body).map_err(|e| Error::internal(e.to_string()))?;
    let item = format!("status-{}", uuid::Uuid::now_v7().simple());
    enqueue(
        tx,
        now,
        channel_id,
        &item,
        ItemKind::Status,
        1,
        &content,
        None,
        &format!("status {}", to.as_str()),
        side,
    )?;
    Ok(())
}

/// Queues the firm's move of an assignment on every channel it is shared on.
pub(crate) fn queue_firm_move(
    tx: &rusqlite::Connection,
    now: &str,
    assignment_id: &str,
    from: AssignmentStatus,
    to: AssignmentStatus,
) -> Result<()> {
    let channels: Vec<String> = {
        let mut stmt = tx
            .prepare("SELECT id FROM channel WHERE assignment_id = ?1 AND side = 'firm'")
            .ctx("find the assignment's channels")?;
        stmt.query_map([assignment_id], |r| r.get(0))
            .ctx("find the assignment's channels")?
            .collect::<rusqlite::Result<_>>()
            .ctx("find the assignment's channels")?
    };
    for channel_id in channels {
        queue_status(tx, now, &channel_id, from, to, Side::Firm)?;
    }
    Ok(())
}

/// A message on the channel: on the firm's side into the matter's messages, on the
/// provider's into the engagement.
#[allow(clippy::too_many_arguments)]
fn record_message(
    tx: &rusqlite::Connection,
    now: &str,
    channel: &Channel,
    item: &str,
    author: &str,
    text: &str,
    sent_at: &str,
    from: Side,
) -> Result<()> {
    match channel.side {
        Side::Firm => {
            let matter_id: String = tx
                .query_row(
                    "SELECT matter_id FROM assignment WHERE id = ?1",
                    [&channel.assignment_id],
                    |r| r.get(0),
                )
                .ctx("read the assignment")?;
            tx.execute(
                "INSERT INTO message (id, matter_id, author, sent_at, body, revision, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
                params![item, matter_id, author, sent_at, text, now],
            )
            .ctx("save the message")?;
        }
        Side::Provider => {
            tx.execute(
                "INSERT INTO engagement_item (channel_id, item_id, kind, revision, from_side, title, body, at) VALUES (?1, ?2, 'message', 1, ?3, ?4, ?5, ?6)",
                params![channel.id, item, from.as_str(), author, text, sent_at],
            )
            .ctx("save the message")?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn store_engagement_file(
    tx: &rusqlite::Connection,
    channel_id: &str,
    item: &str,
    kind: &str,
    revision: u64,
    from: Side,
    file_name: &str,
    sha: &str,
    size: i64,
    now: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO engagement_item (channel_id, item_id, kind, revision, from_side, title, blob_sha256, size, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (channel_id, item_id) DO UPDATE SET revision = excluded.revision, title = excluded.title, blob_sha256 = excluded.blob_sha256, size = excluded.size, at = excluded.at",
        params![channel_id, item, kind, revision as i64, from.as_str(), file_name, sha, size, now],
    )
    .ctx("store the file")?;
    Ok(())
}

/// Where a received file's bytes are: in memory (small items), or in the parts
/// written through [`Store::incoming_writer`] (large ones).
enum FileSource<'a> {
    Bytes(&'a [u8]),
    Parts(IncomingFile),
}

/// Puts a received file into its blob inside `tx`; returns its hash and size. A
/// large file's parts, already written, become the blob's by one row.
fn store_file(tx: &rusqlite::Connection, source: &FileSource<'_>) -> Result<(String, i64)> {
    match source {
        FileSource::Bytes(bytes) => {
            let sha = crate::sha256_hex(bytes);
            crate::blobs::put(tx, &sha, bytes)?;
            Ok((sha, bytes.len() as i64))
        }
        FileSource::Parts(file) => {
            // The parts are the blob's from here on: no longer "being received".
            tx.execute(
                "DELETE FROM incoming_file WHERE envelope_id = ?1",
                [&file.envelope_id],
            )
            .ctx("store the file")?;
            crate::blobs::adopt(tx, file.parts, &file.sha256, file.size as i64)?;
            Ok((file.sha256.clone(), file.size as i64))
        }
    }
}

/// The content of a large item as received through [`Store::incoming_writer`], for
/// [`Store::apply_incoming`].
pub enum Incoming {
    /// Anything but a file: its whole content, which must fit in [`MAX_CONTENT`].
    Content {
        bytes: zeroize::Zeroizing<Vec<u8>>,
        too_large: bool,
    },
    /// A file, in parts in the store.
    File(IncomingFile),
}

/// A file received in parts: its description, where its parts are, and whether its
/// bytes matched the size and SHA-256 the description states.
pub struct IncomingFile {
    envelope_id: String,
    body: ItemBody,
    parts: i64,
    size: u64,
    sha256: String,
    /// Its first bytes, to tell its format.
    head: Vec<u8>,
    matches: bool,
}

/// A large item's content other than a file is a few fields of text: more than this
/// is refused as too large.
const MAX_CONTENT: usize = 1024 * 1024;
/// A file's description (one JSON line) comes first, within this many bytes.
const MAX_DESCRIPTION: usize = 64 * 1024;

/// Writes the decrypted content of a large item into the encrypted store as it
/// comes: a file goes straight into its parts, hashed on the way, so it is never held
/// whole in memory, never written in plaintext anywhere, and never copied again.
/// Call [`IncomingWriter::finish`] after the last byte.
pub struct IncomingWriter<'a> {
    conn: &'a rusqlite::Connection,
    envelope_id: String,
    /// The content until it shows itself a file (its description line read), and
    /// all of it when it is not one.
    head: zeroize::Zeroizing<Vec<u8>>,
    too_large: bool,
    file: Option<FileInParts>,
    in_group: bool,
    _cache: crate::blobs::LeanCache<'a>,
}

struct FileInParts {
    body: ItemBody,
    size: u64,
    sha256: String,
    parts: i64,
    hasher: sha2::Sha256,
    written: u64,
    head: Vec<u8>,
    part: zeroize::Zeroizing<Vec<u8>>,
    n: i64,
}

impl IncomingWriter<'_> {
    fn io(what: &str) -> impl Fn(rusqlite::Error) -> std::io::Error + '_ {
        move |e| std::io::Error::other(format!("could not {what}: {e}"))
    }

    fn begin_group(&mut self) -> std::io::Result<()> {
        if !self.in_group {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(Self::io("keep a received part"))?;
            self.in_group = true;
        }
        Ok(())
    }

    fn commit_group(&mut self) -> std::io::Result<()> {
        if self.in_group {
            self.conn
                .execute_batch("COMMIT")
                .map_err(Self::io("keep the received parts"))?;
            self.in_group = false;
        }
        Ok(())
    }

    /// Once the description line is in: a file's parts start, or the content is
    /// something else and stays in memory.
    fn look_for_description(&mut self) -> std::io::Result<()> {
        let Some(at) = self
            .head
            .iter()
            .take(MAX_DESCRIPTION)
            .position(|b| *b == b'\n')
        else {
            return Ok(());
        };
        let Ok(body @ ItemBody::File { .. }) = serde_json::from_slice::<ItemBody>(&self.head[..at])
        else {
            return Ok(());
        };
        let ItemBody::File { size, sha256, .. } = &body else {
            unreachable!()
        };
        let (size, sha256) = (u64::try_from(*size).unwrap_or(0), sha256.clone());
        self.begin_group()?;
        let parts =
            crate::blobs::next_parts(self.conn).map_err(|e| std::io::Error::other(e.message))?;
        self.conn
            .execute(
                "INSERT INTO incoming_file (envelope_id, parts) VALUES (?1, ?2)",
                params![self.envelope_id, parts],
            )
            .map_err(Self::io("keep a received part"))?;
        let rest = zeroize::Zeroizing::new(self.head[at + 1..].to_vec());
        self.head.clear();
        self.file = Some(FileInParts {
            body,
            size,
            sha256,
            parts,
            hasher: <sha2::Sha256 as sha2::Digest>::new(),
            written: 0,
            head: Vec::new(),
            part: zeroize::Zeroizing::new(Vec::with_capacity(crate::blobs::PART)),
            n: 0,
        });
        self.write_file(&rest)
    }

    fn write_file(&mut self, mut data: &[u8]) -> std::io::Result<()> {
        while !data.is_empty() {
            let file = self.file.as_mut().expect("a file is being written");
            // Bytes past the stated size are not kept: the file is refused anyway.
            let left = file.size.saturating_sub(file.written);
            if left == 0 {
                file.written += data.len() as u64;
                return Ok(());
            }
            let room = crate::blobs::PART - file.part.len();
            let take = room
                .min(data.len())
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            let bytes = &data[..take];
            sha2::Digest::update(&mut file.hasher, bytes);
            if file.head.len() < 4096 {
                let more = (4096 - file.head.len()).min(bytes.len());
                file.head.extend_from_slice(&bytes[..more]);
            }
            file.part.extend_from_slice(bytes);
            file.written += take as u64;
            data = &data[take..];
            if file.part.len() == crate::blobs::PART {
                self.flush_part()?;
            }
        }
        Ok(())
    }

    fn flush_part(&mut self) -> std::io::Result<()> {
        let Some(file) = self.file.as_ref() else {
            return Ok(());
        };
        if file.part.is_empty() {
            return Ok(());
        }
        self.begin_group()?;
        let file = self.file.as_mut().expect("a file is being written");
        self.conn
            .prepare_cached("INSERT INTO blob_part (parts, n, data) VALUES (?1, ?2, ?3)")
            .and_then(|mut insert| insert.execute(params![file.parts, file.n, &file.part[..]]))
            .map_err(Self::io("keep a received part"))?;
        file.n += 1;
        file.part.clear();
        if file.n % crate::blobs::PARTS_PER_COMMIT == 0 {
            self.commit_group()?;
        }
        Ok(())
    }

    /// Writes what is left; the content then waits for [`Store::apply_incoming`].
    pub fn finish(mut self) -> std::io::Result<Incoming> {
        self.flush_part()?;
        self.commit_group()?;
        Ok(match self.file.take() {
            Some(file) => {
                let sha = hex::encode(sha2::Digest::finalize(file.hasher));
                Incoming::File(IncomingFile {
                    envelope_id: std::mem::take(&mut self.envelope_id),
                    matches: file.written == file.size && sha == file.sha256,
                    body: file.body,
                    parts: file.parts,
                    size: file.size,
                    sha256: file.sha256,
                    head: file.head,
                })
            }
            None => Incoming::Content {
                bytes: std::mem::take(&mut self.head),
                too_large: self.too_large,
            },
        })
    }
}

impl Drop for IncomingWriter<'_> {
    fn drop(&mut self) {
        // Abandoned half-way (a refused envelope, an error): the open group goes, and
        // the connection is left with no transaction.
        if self.in_group {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl std::io::Write for IncomingWriter<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut rest = data;
        if self.file.is_none() && !self.too_large && self.head.len() < MAX_DESCRIPTION {
            let take = (MAX_DESCRIPTION - self.head.len()).min(rest.len());
            self.head.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            self.look_for_description()?;
        }
        if self.file.is_some() {
            self.write_file(rest)?;
        } else if self.too_large {
            // Refused at apply; nothing more is kept.
        } else if self.head.len() + rest.len() > MAX_CONTENT {
            self.too_large = true;
            self.head.clear();
        } else {
            self.head.extend_from_slice(rest);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The plaintext an outbox item seals, read in pieces: its content, then the file it
/// names straight from the database (part by part, SQLite incremental I/O), never
/// whole in memory.
pub struct OutboxPayload<'a> {
    content: std::io::Cursor<Vec<u8>>,
    file: Option<crate::blobs::FileReader<'a>>,
    /// Bytes in all.
    pub len: u64,
}

impl std::io::Read for OutboxPayload<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.content.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        match &mut self.file {
            Some(file) => file.read(buf),
            None => Ok(0),
        }
    }
}

impl Store {
    /// [`Store::outbox_payload`] as a reader, for large items.
    pub fn outbox_payload_reader(&self, envelope_id: &str) -> Result<OutboxPayload<'_>> {
        let (content, blob): (Vec<u8>, Option<String>) = self
            .conn
            .query_row(
                "SELECT content, blob_sha256 FROM outbox WHERE envelope_id = ?1",
                [envelope_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ctx("read the outbox")?;
        let mut len = content.len() as u64;
        let file = match blob {
            Some(sha) => {
                let (reader, size) = crate::blobs::FileReader::open(&self.conn, &sha)?;
                len += size as u64;
                Some(reader)
            }
            None => None,
        };
        Ok(OutboxPayload {
            content: std::io::Cursor::new(content),
            file,
            len,
        })
    }

    /// The folder beside the database where large envelopes wait while they are
    /// sealed and sent, or downloaded and checked: ciphertext only (what the relay
    /// holds too), private to the user (0700).
    pub fn exchange_scratch_dir(&self) -> Result<std::path::PathBuf> {
        let dir = self.dir.join("exchange-tmp");
        crate::files::ensure_private_dir(&dir)?;
        Ok(dir)
    }

    /// A writer for the content of a large item being received (parts left by an
    /// earlier, interrupted attempt are cleared first).
    pub fn incoming_writer(&self, envelope_id: &str) -> Result<IncomingWriter<'_>> {
        clear_pieces(&self.conn, envelope_id)?;
        Ok(IncomingWriter {
            conn: &self.conn,
            envelope_id: envelope_id.to_owned(),
            head: zeroize::Zeroizing::new(Vec::new()),
            too_large: false,
            file: None,
            in_group: false,
            _cache: crate::blobs::LeanCache::new(&self.conn),
        })
    }

    /// Drops the parts of an item that will not be applied.
    pub fn discard_incoming(&self, envelope_id: &str) -> Result<()> {
        clear_pieces(&self.conn, envelope_id)
    }
}

/// Splits a received item into its body and, for files, the bytes after the JSON
/// line, checking the file against the size and hash its body states.
fn split_content(kind: ItemKind, content: &[u8]) -> Result<(ItemBody, &[u8])> {
    let bad = |what: &str| {
        Error::new(
            ErrorCode::Corrupt,
            format!("The {kind} received is not readable ({what})."),
        )
    };
    let (json, rest) = match kind {
        ItemKind::Document | ItemKind::Deliverable => {
            let at = content
                .iter()
                .position(|b| *b == b'\n')
                .ok_or_else(|| bad("no file description"))?;
            (&content[..at], &content[at + 1..])
        }
        _ => (content, &content[content.len()..]),
    };
    let body: ItemBody = serde_json::from_slice(json).map_err(|_| bad("unknown layout"))?;
    let fits = matches!(
        (kind, &body),
        (ItemKind::Brief, ItemBody::Brief { .. })
            | (
                ItemKind::Document | ItemKind::Deliverable,
                ItemBody::File { .. }
            )
            | (ItemKind::Deadline, ItemBody::Deadline { .. })
            | (ItemKind::Status, ItemBody::Status { .. })
            | (ItemKind::Message, ItemBody::Message { .. })
    );
    if !fits {
        return Err(bad("its content is of another kind"));
    }
    if let ItemBody::File { size, sha256, .. } = &body
        && (rest.len() as i64 != *size || crate::sha256_hex(rest) != *sha256)
    {
        return Err(bad("the file does not match its stated size and SHA-256"));
    }
    Ok((body, rest))
}
