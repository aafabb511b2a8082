//! Where the relay keeps accounts, channels, members, invites and envelopes.
//!
//! One trait, [`RelayStore`], so the embedded default ([`SqliteStore`]: SQLite plus
//! one file per envelope) can later be joined by PostgreSQL plus S3-compatible object
//! storage without the HTTP layer changing. The trait is async because those
//! backends are (tokio-postgres, object_store) and because an envelope body arrives
//! as a stream that must go to storage as it comes; the SQLite backend runs its
//! blocking calls on tokio's blocking pool.
//!
//! The store knows nothing about HTTP or tokens in clear: it gets token hashes, ids
//! already checked, and the time from its caller.

mod files;
mod sqlite;

pub use files::private_dir;
pub use sqlite::SqliteStore;

use crate::ids::{ChannelId, EnvelopeId, MemberId};
use crate::token::TokenHash;
use bytes::Bytes;
use futures_util::Stream;
use std::future::Future;
use std::io;
use std::pin::Pin;

/// Seconds since the Unix epoch; the caller reads the clock.
pub type UnixSecs = i64;

/// An envelope body as it arrives or leaves: chunks of bytes, never the whole.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Member => "member",
        }
    }
}

/// An operator-made account, as `account list` shows it (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub name: String,
    pub quota_bytes: u64,
    pub used_bytes: u64,
    pub created_at: UnixSecs,
}

/// The store's own handle on an account, found from its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountRef(pub i64);

/// Who an access token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAccess {
    pub channel: ChannelId,
    pub member: MemberId,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub member: MemberId,
    pub role: Role,
    /// The member's public card: opaque bytes the relay only hands on.
    pub card: Vec<u8>,
    pub joined_at: UnixSecs,
    /// The highest sequence number the member has said it holds.
    pub acked: i64,
}

/// What the relay knows of an envelope: sizes, times and opaque ids, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeMeta {
    pub seq: i64,
    pub id: EnvelopeId,
    pub size: u64,
    pub sha256: [u8; 32],
    pub sender: MemberId,
    pub received_at: UnixSecs,
}

/// One entry of a listing; `body` is there when the envelope is small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedEnvelope {
    pub meta: EnvelopeMeta,
    pub body: Option<Vec<u8>>,
}

/// One envelope as a download finds it: what the relay knows of it and, when it is
/// kept with its record, its bytes, found together so a download asks once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEnvelope {
    pub meta: EnvelopeMeta,
    /// The whole body of an envelope kept with its record (a small one); `None` for
    /// one kept apart (a file, an object), which `read_envelope` streams from there.
    pub held: Option<Bytes>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopePage {
    pub envelopes: Vec<ListedEnvelope>,
    pub more: bool,
}

/// How a listing is cut.
#[derive(Debug, Clone, Copy)]
pub struct ListRequest {
    pub after: i64,
    pub limit: u32,
    /// Bodies up to this size travel inside the listing.
    pub inline_max: u64,
    /// A page stops early (with `more`) once its inline bodies reach this many bytes,
    /// so a page of a thousand 64 KiB envelopes does not become a 64 MiB answer.
    pub inline_budget: u64,
}

/// An envelope to store.
#[derive(Debug, Clone)]
pub struct PutRequest {
    pub channel: ChannelId,
    pub sender: MemberId,
    pub id: EnvelopeId,
    /// `Content-Length`, when the client sent one: lets a refusal come before the body.
    pub declared_len: Option<u64>,
    pub max_bytes: u64,
    /// A body of at most this many bytes is kept in its row rather than a file.
    pub inline_max: u64,
    pub now: UnixSecs,
}

/// One envelope of a batch upload.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub id: EnvelopeId,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PutOutcome {
    pub seq: i64,
    /// False when the same id with the same bytes was already there.
    pub created: bool,
}

/// Failures the HTTP layer turns into answers; `Internal` is everything the client
/// cannot fix (disk, database), logged and answered 500 without detail.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("an account named {0:?} exists already")]
    AccountExists(String),
    #[error("no such channel")]
    ChannelNotFound,
    #[error("the channel is closed")]
    ChannelClosed,
    #[error("no such envelope")]
    EnvelopeNotFound,
    #[error("an envelope with this id and other bytes exists")]
    EnvelopeConflict,
    #[error("the envelope is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the account's quota of {quota} bytes would be exceeded")]
    QuotaExceeded { quota: u64 },
    #[error("unknown invitation")]
    InviteUnknown,
    #[error("the invitation was used already")]
    InviteUsed,
    #[error("the invitation expired")]
    InviteExpired,
    #[error("the request body could not be read: {0}")]
    BodyRead(io::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Internal(format!("database: {e}"))
    }
}

impl From<io::Error> for StoreError {
    fn from(e: io::Error) -> Self {
        StoreError::Internal(format!("file system: {e}"))
    }
}

impl From<rand::rand_core::OsError> for StoreError {
    fn from(e: rand::rand_core::OsError) -> Self {
        StoreError::Internal(format!("random source: {e}"))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything the relay stores, behind one interface (see the module comment).
///
/// Methods return `impl Future + Send` rather than being `async fn`, so that the
/// futures are known to be `Send` wherever axum runs them.
pub trait RelayStore: Send + Sync + 'static {
    fn add_account(
        &self,
        name: &str,
        quota_bytes: u64,
        token: TokenHash,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    fn list_accounts(&self) -> impl Future<Output = StoreResult<Vec<AccountSummary>>> + Send;

    fn account_by_token(
        &self,
        token: TokenHash,
    ) -> impl Future<Output = StoreResult<Option<AccountRef>>> + Send;

    fn member_by_token(
        &self,
        token: TokenHash,
    ) -> impl Future<Output = StoreResult<Option<MemberAccess>>> + Send;

    /// Whether `channel` existed and was deleted (so its old tokens get 404, not 401).
    fn channel_was_deleted(
        &self,
        channel: &ChannelId,
    ) -> impl Future<Output = StoreResult<bool>> + Send;

    /// Opens a channel for `account`, its owner holding `owner_token`.
    fn open_channel(
        &self,
        account: AccountRef,
        owner_card: Vec<u8>,
        owner_token: TokenHash,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<(ChannelId, MemberId)>> + Send;

    fn add_invite(
        &self,
        channel: &ChannelId,
        by: &MemberId,
        join_token: TokenHash,
        expires_at: UnixSecs,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Uses the invitation up and adds a member holding `access_token`.
    fn join(
        &self,
        channel: &ChannelId,
        join_token: TokenHash,
        card: Vec<u8>,
        access_token: TokenHash,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<MemberId>> + Send;

    fn members(&self, channel: &ChannelId)
    -> impl Future<Output = StoreResult<Vec<Member>>> + Send;

    /// Records that `member` holds every envelope of `channel` up to `upto`.
    fn acknowledge(
        &self,
        channel: &ChannelId,
        member: &MemberId,
        upto: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Stores `body` as envelope `req.id`, durably, before answering: the bytes are on
    /// disk and the row committed when this returns `Ok`.
    fn put_envelope(
        &self,
        req: PutRequest,
        body: ByteStream,
    ) -> impl Future<Output = StoreResult<PutOutcome>> + Send;

    /// Stores a batch of small envelopes in one durable commit, in the order given:
    /// each gets its own outcome (a conflict or the quota refuses only that one).
    /// Every body is at most the inline size; the caller checked.
    fn put_batch(
        &self,
        channel: &ChannelId,
        sender: &MemberId,
        items: Vec<BatchItem>,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<Vec<StoreResult<PutOutcome>>>> + Send;

    fn list_envelopes(
        &self,
        channel: &ChannelId,
        req: ListRequest,
    ) -> impl Future<Output = StoreResult<EnvelopePage>> + Send;

    fn find_envelope(
        &self,
        channel: &ChannelId,
        id: &EnvelopeId,
    ) -> impl Future<Output = StoreResult<StoredEnvelope>> + Send;

    /// `len` bytes of `envelope` (as `find_envelope` gave it) from `start`, as a
    /// stream: out of the bytes found with it, or from where it is kept apart.
    fn read_envelope(
        &self,
        channel: &ChannelId,
        envelope: &StoredEnvelope,
        start: u64,
        len: u64,
    ) -> impl Future<Output = StoreResult<ByteStream>> + Send;

    fn close_channel(
        &self,
        channel: &ChannelId,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Removes the channel, its members, invites and envelopes (rows and bytes).
    fn delete_channel(
        &self,
        channel: &ChannelId,
        now: UnixSecs,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}
