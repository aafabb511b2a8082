// Records of the exchange with providers, for the component tests: each builder
// fills every field and takes the ones a test cares about.
import type { Person } from "./bindings/Person";
import type { Channel } from "./bindings/Channel";
import type { ChannelMember } from "./bindings/ChannelMember";
import type { Engagement } from "./bindings/Engagement";
import type { EngagementItem } from "./bindings/EngagementItem";
import type { OutboxEntry } from "./bindings/OutboxEntry";
import type { SyncStatus } from "./bindings/SyncStatus";

export const MY_FINGERPRINT = "12345 67890 13579 24680 11223 34455";
export const PROVIDER_FINGERPRINT = "55555 44444 33333 22222 11111 00000";

export function member(over: Partial<ChannelMember> = {}): ChannelMember {
  return {
    member_id: "mem-provider",
    role: "member",
    side: "provider",
    name: "Lex Review Pvt Ltd",
    key_id: "key-provider",
    fingerprint: PROVIDER_FINGERPRINT,
    verified_at: null,
    verified_by: null,
    is_me: false,
    ...over,
  };
}

export function me(): ChannelMember {
  return member({
    member_id: "mem-me",
    role: "owner",
    side: "firm",
    name: "Hale & Rowe LLP",
    key_id: "key-me",
    fingerprint: MY_FINGERPRINT,
    is_me: true,
  });
}

export function channel(assignmentId: string, over: Partial<Channel> = {}): Channel {
  return {
    id: "ch-1",
    relay_url: "https://relay.example",
    side: "firm",
    assignment_id: assignmentId,
    firm_name: "Hale & Rowe LLP",
    cursor: 0,
    last_sync_at: null,
    created_at: "2026-11-27T10:00:00.000Z",
    members: [me()],
    ...over,
  };
}

export function entry(over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    envelope_id: "env-a",
    channel_id: "ch-1",
    item_id: "item-a",
    kind: "document",
    revision: 1,
    label: "document Lease.pdf v1",
    size: 2048,
    state: "queued",
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    created_at: "2026-11-27T10:00:00.000Z",
    sent_at: null,
    ...over,
  };
}

export function item(over: Partial<EngagementItem> = {}): EngagementItem {
  return {
    item_id: "it-1",
    kind: "document",
    revision: 1,
    from_side: "firm",
    title: "Lease.txt",
    body: null,
    sha256: "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
    size: 1200,
    at: "2026-11-27T10:00:00.000Z",
    ...over,
  };
}

export function engagement(over: Partial<Engagement> = {}): Engagement {
  return {
    channel_id: "ch-1",
    firm_name: "Hale & Rowe LLP",
    assignment_id: "a-1",
    scope: "First-level review of custodian email",
    instructions: "Tag privileged documents.",
    due_on: "2026-12-15",
    status: "sent",
    updated_at: "2026-11-27T10:00:00.000Z",
    items: [],
    ...over,
  };
}

export function syncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    enabled: true,
    online: true,
    syncing: false,
    last_ok_at: null,
    waiting: 0,
    needs_attention: 0,
    last_error: null,
    ...over,
  };
}

/** Jane Smith, an attorney of the firm (the person at the desk in several tests). */
export function jane(): Person {
  return {
    id: "p-1",
    name: "Jane Smith",
    role: "attorney",
    bar_admission: "NY 4512290",
    created_at: "2026-11-27T10:00:00Z",
  };
}
