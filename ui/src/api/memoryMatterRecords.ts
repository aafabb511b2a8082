// The in-memory parties, consents, assignments and messages of memory.ts, for
// component tests. Like memory.ts it keeps what it is given and holds no rule of its
// own: Rust's refusals are replayed by memory.ts, and the assignment's moves are
// Rust's (ASSIGNMENT_MOVES).
import type { ApiError } from "../bindings/ApiError";
import type { Assignment } from "../bindings/Assignment";
import type { AssignmentStatus } from "../bindings/AssignmentStatus";
import type { Consent } from "../bindings/Consent";
import type { Matter } from "../bindings/Matter";
import type { Money } from "../bindings/Money";
import type { MatterParty } from "../bindings/MatterParty";
import type { Message } from "../bindings/Message";
import type { Party } from "../bindings/Party";
import type { Provider } from "../bindings/Provider";
import { ASSIGNMENT_MOVES } from "../bindings/rules";
import { LIST_DEFAULT_LIMIT, MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX } from "../bindings/constants";
import type { Backend, ChangeKind } from "./backend";
import { emitAfterWrites } from "./memoryEmits";

type MatterRecordMethods = Pick<
  Backend,
  | "partyList"
  | "partyGet"
  | "partyCreate"
  | "partyUpdate"
  | "matterPartyList"
  | "matterPartyCreate"
  | "matterPartyUpdate"
  | "consentList"
  | "consentCreate"
  | "consentUpdate"
  | "assignmentList"
  | "assignmentCreate"
  | "assignmentUpdate"
  | "assignmentMove"
  | "assignmentNextStates"
  | "messageList"
  | "messageCreate"
>;

/** The firm's moves, as Rust generated them (`next_states(from, Firm)`). */
const FIRM_MOVES: Record<AssignmentStatus, AssignmentStatus[]> = ASSIGNMENT_MOVES.firm;

/**
 * The budget as typed, echoed back uninterpreted: reading amounts (each currency's
 * decimals) is Rust's rule (mandate_core::money), tested there; this double only
 * lets the screens show what was sent.
 */
function echoBudget(
  written: string | null | undefined,
  currency: string | undefined,
): Money | null {
  if (!written?.trim()) return null;
  const cur = currency?.trim().toUpperCase() || "USD";
  return { minor: 0, currency: cur, text: `${cur} ${written.trim()}`, amount: written.trim() };
}

function notFound(message: string): ApiError {
  return { code: "not_found", message };
}

/** The change events the matter records' Rust commands emit after their write. */
const RECORD_EMITS: Partial<Record<keyof MatterRecordMethods, ChangeKind[]>> = {
  partyCreate: ["party"],
  partyUpdate: ["party"],
  matterPartyCreate: ["matter-party"],
  matterPartyUpdate: ["matter-party"],
  consentCreate: ["consent"],
  consentUpdate: ["consent"],
  assignmentCreate: ["assignment"],
  assignmentUpdate: ["assignment"],
  assignmentMove: ["assignment"],
  messageCreate: ["message"],
};

export function matterRecordsMemory(ctx: {
  matters: Matter[];
  providers: Provider[];
  today: string;
  /** Tells the listeners of `kind`, as Rust emits `${kind}-changed` after each write. */
  emit: (kind: ChangeKind) => void;
}): MatterRecordMethods & {
  parties: Party[];
  links: MatterParty[];
  consents: Consent[];
  assignments: Assignment[];
  messages: Message[];
} {
  const parties: Party[] = [];
  const links: MatterParty[] = [];
  const consents: Consent[] = [];
  const assignments: Assignment[] = [];
  const messages: Message[] = [];
  let seq = 0;
  // Zero-padded, so ids sort in the order they were made (like UUID v7).
  const nextId = (prefix: string) => `${prefix}${String(++seq).padStart(6, "0")}`;
  const now = () => new Date().toISOString();

  const matter = (id: string) => {
    const m = ctx.matters.find((x) => x.id === id);
    if (!m) throw notFound("That matter no longer exists.");
    return m;
  };
  const provider = (id: string) => {
    const p = ctx.providers.find((x) => x.id === id);
    if (!p) throw notFound("That provider no longer exists.");
    return p;
  };
  const party = (id: string) => {
    const p = parties.find((x) => x.id === id);
    if (!p) throw notFound("That party does not exist.");
    return p;
  };
  const assignment = (id: string) => {
    const a = assignments.find((x) => x.id === id);
    if (!a) throw notFound("That assignment does not exist.");
    return a;
  };
  const newestFirst = (a: Message, b: Message) =>
    b.sent_at.localeCompare(a.sent_at) || b.id.localeCompare(a.id);

  return emitAfterWrites(
    {
      parties,
      links,
      consents,
      assignments,
      messages,
      partyList: async (f) => ({
        items: parties.slice(0, f.limit ?? LIST_DEFAULT_LIMIT),
        total: parties.length,
      }),
      partyGet: async (id) => party(id),
      partyCreate: async (d) => {
        const t = now();
        const p: Party = {
          id: nextId("pa"),
          name: d.name,
          kind: d.kind,
          aliases: d.aliases ?? [],
          revision: 1,
          created_at: t,
          updated_at: t,
        };
        parties.push(p);
        return p;
      },
      partyUpdate: async (id, patch) => {
        const p = party(id);
        Object.assign(p, {
          name: patch.name ?? p.name,
          kind: patch.kind ?? p.kind,
          aliases: patch.aliases ?? p.aliases,
          revision: p.revision + 1,
          updated_at: now(),
        });
        links.filter((l) => l.party_id === id).forEach((l) => (l.party_name = p.name));
        return p;
      },
      matterPartyList: async (matterId) => {
        matter(matterId);
        return links.filter((l) => l.matter_id === matterId);
      },
      matterPartyCreate: async (d) => {
        matter(d.matter_id);
        const p = party(d.party_id);
        const t = now();
        const l: MatterParty = {
          id: nextId("mp"),
          matter_id: d.matter_id,
          party_id: p.id,
          party_name: p.name,
          party_kind: p.kind,
          role: d.role,
          revision: 1,
          created_at: t,
          updated_at: t,
        };
        links.push(l);
        return l;
      },
      matterPartyUpdate: async (id, role) => {
        const l = links.find((x) => x.id === id);
        if (!l) throw notFound("That party is no longer linked to the matter.");
        Object.assign(l, { role, revision: l.revision + 1, updated_at: now() });
        return l;
      },
      consentList: async (f) =>
        consents
          .filter(
            (c) =>
              (!f.matter_id || c.matter_id === f.matter_id) &&
              (!f.provider_id || c.provider_id === f.provider_id),
          )
          .sort((a, b) => b.given_on.localeCompare(a.given_on)),
      consentCreate: async (d) => {
        matter(d.matter_id);
        provider(d.provider_id);
        const t = now();
        const c: Consent = {
          id: nextId("c"),
          matter_id: d.matter_id,
          provider_id: d.provider_id,
          scope: d.scope,
          data_classes: d.data_classes ?? [],
          countries: d.countries ?? [],
          given_on: d.given_on,
          evidence: d.evidence,
          covers_ai_use: d.covers_ai_use ?? false,
          ai_use_evidence: d.ai_use_evidence ?? null,
          revision: 1,
          created_at: t,
          updated_at: t,
        };
        consents.push(c);
        return c;
      },
      consentUpdate: async (id, patch) => {
        const c = consents.find((x) => x.id === id);
        if (!c) throw notFound("That consent does not exist.");
        Object.assign(c, {
          scope: patch.scope ?? c.scope,
          countries: patch.countries ?? c.countries,
          given_on: patch.given_on ?? c.given_on,
          evidence: patch.evidence ?? c.evidence,
          data_classes: patch.data_classes ?? c.data_classes,
          covers_ai_use: patch.covers_ai_use ?? c.covers_ai_use,
          ai_use_evidence: patch.ai_use_evidence ?? c.ai_use_evidence,
          revision: c.revision + 1,
          updated_at: now(),
        });
        return c;
      },
      assignmentList: async (f) => {
        const items = assignments
          .filter(
            (a) =>
              (!f.matter_id || a.matter_id === f.matter_id) &&
              (!f.provider_id || a.provider_id === f.provider_id) &&
              (!f.status || a.status === f.status),
          )
          .sort((a, b) => a.due_on.localeCompare(b.due_on));
        return { items: items.slice(0, f.limit ?? LIST_DEFAULT_LIMIT), total: items.length };
      },
      assignmentCreate: async (d) => {
        matter(d.matter_id);
        provider(d.provider_id);
        const fields = {
          scope: d.scope,
          due_on: d.due_on,
          budget: echoBudget(d.budget, d.budget_currency),
          supervising_attorney: d.supervising_attorney,
        };
        const t = now();
        const a: Assignment = {
          id: nextId("a"),
          matter_id: d.matter_id,
          provider_id: d.provider_id,
          instructions: d.instructions || null,
          billing_mode: d.billing_mode ?? "cost",
          status: "draft",
          owner: "firm",
          ...fields,
          revision: 1,
          created_at: t,
          updated_at: t,
        };
        assignments.push(a);
        return a;
      },
      assignmentUpdate: async (id, patch) => {
        const a = assignment(id);
        const fields = {
          scope: patch.scope ?? a.scope,
          due_on: patch.due_on ?? a.due_on,
          budget:
            patch.budget === undefined
              ? a.budget
              : echoBudget(patch.budget, patch.budget_currency ?? a.budget?.currency),
          supervising_attorney: patch.supervising_attorney ?? a.supervising_attorney,
        };
        Object.assign(a, fields, {
          instructions:
            patch.instructions !== undefined ? patch.instructions || null : a.instructions,
          billing_mode: patch.billing_mode ?? a.billing_mode,
          revision: a.revision + 1,
          updated_at: now(),
        });
        return a;
      },
      assignmentMove: async (id, to) => {
        const a = assignment(id);
        if (!FIRM_MOVES[a.status].includes(to))
          throw {
            code: "not_allowed",
            message: `An assignment cannot move from ${a.status} to ${to}.`,
            field: "status",
          } as ApiError;
        Object.assign(a, { status: to, revision: a.revision + 1, updated_at: now() });
        return a;
      },
      assignmentNextStates: async (from) => FIRM_MOVES[from],
      messageList: async (matterId, before, limit) => {
        matter(matterId);
        const n = Math.min(Math.max(limit ?? MESSAGE_PAGE_DEFAULT, 1), MESSAGE_PAGE_MAX);
        const older = messages
          .filter((m) => m.matter_id === matterId)
          .sort(newestFirst)
          .filter(
            (m) =>
              !before ||
              m.sent_at < before.sent_at ||
              (m.sent_at === before.sent_at && m.id < before.id),
          );
        const items = older.slice(0, n);
        const last = items[items.length - 1];
        return {
          items,
          next: older.length > n && last ? { sent_at: last.sent_at, id: last.id } : null,
        };
      },
      messageCreate: async (d) => {
        matter(d.matter_id);
        const t = now();
        const m: Message = {
          id: nextId("msg"),
          matter_id: d.matter_id,
          author: d.author,
          sent_at: d.sent_at ?? t,
          body: d.body,
          revision: 1,
          created_at: t,
          // A note kept here only: it never went through the exchange.
          from_side: null,
          delivery: null,
        };
        messages.push(m);
        return m;
      },
    },
    RECORD_EMITS,
    ctx.emit,
  );
}
