// The in-memory parties, consents, assignments and messages of memory.ts, for
// component tests. Like memory.ts it mirrors the backend's contract ({code,
// message, field} errors, newest-first message pages) closely enough to exercise
// the screens; the real rules live in crates/core and are tested there.
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
import {
  LIST_DEFAULT_LIMIT,
  MESSAGE_BODY_MAX,
  MESSAGE_PAGE_DEFAULT,
  MESSAGE_PAGE_MAX,
} from "../bindings/constants";
import type { Backend } from "./backend";

type PracticeMethods = Pick<
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

function invalid(field: string, message: string): ApiError {
  return { code: "invalid", message, field };
}

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

function cleanList(items: string[] | undefined, upper = false): string[] {
  return (items ?? []).map((s) => (upper ? s.trim().toUpperCase() : s.trim())).filter(Boolean);
}

function checkCountries(list: string[]) {
  if (list.some((c) => !/^[A-Z]{2}$/.test(c)))
    throw invalid("countries", "Use two-letter country codes such as IN or PH.");
}

export function practiceMemory(ctx: {
  matters: Matter[];
  providers: Provider[];
  today: string;
}): PracticeMethods & {
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
    if (!id.trim()) throw invalid("provider_id", "Choose the provider.");
    const p = ctx.providers.find((x) => x.id === id);
    if (!p) throw notFound("That provider no longer exists.");
    return p;
  };
  const party = (id: string) => {
    const p = parties.find((x) => x.id === id);
    if (!p) throw notFound("That party does not exist.");
    return p;
  };
  const checkParty = (name: string, aliases: string[]) => {
    if (!name.trim()) throw invalid("name", "Enter the party's name.");
    const clash = aliases.find((a) => a.toLowerCase() === name.trim().toLowerCase());
    if (clash)
      throw invalid("aliases", `"${clash}" is the party's name; an alias must be another name.`);
  };
  const checkConsent = (c: {
    scope: string;
    countries: string[];
    given_on: string;
    evidence: string;
  }) => {
    if (!c.scope.trim()) throw invalid("scope", "Enter what the client agreed may be outsourced.");
    checkCountries(c.countries);
    if (!c.given_on) throw invalid("given_on", "Enter the date the client gave consent.");
    if (c.given_on > ctx.today)
      throw invalid(
        "given_on",
        `${c.given_on} is in the future; enter the date consent was actually given.`,
      );
    if (!c.evidence.trim())
      throw invalid(
        "evidence",
        "Say what shows the consent (an email, a signed letter, where it is filed).",
      );
  };
  const checkAssignment = (a: {
    scope: string;
    due_on: string;
    budget: Money | null;
    supervising_attorney: string;
  }) => {
    if (!a.scope.trim()) throw invalid("scope", "Enter what the provider is to do.");
    if (!a.due_on) throw invalid("due_on", "Enter the date the work is due.");
    if (!a.supervising_attorney.trim())
      throw invalid(
        "supervising_attorney",
        "Enter the name of the attorney who supervises this work.",
      );
  };
  const assignment = (id: string) => {
    const a = assignments.find((x) => x.id === id);
    if (!a) throw notFound("That assignment does not exist.");
    return a;
  };
  const newestFirst = (a: Message, b: Message) =>
    b.sent_at.localeCompare(a.sent_at) || b.id.localeCompare(a.id);

  return {
    parties,
    links,
    consents,
    assignments,
    messages,
    partyList: async (f) => {
      const words = (f.query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      const items = parties
        .filter((p) =>
          words.every((w) => `${p.name} ${p.aliases.join(" ")}`.toLowerCase().includes(w)),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items: items.slice(0, f.limit ?? LIST_DEFAULT_LIMIT), total: items.length };
    },
    partyGet: async (id) => party(id),
    partyCreate: async (d) => {
      const aliases = cleanList(d.aliases);
      checkParty(d.name, aliases);
      const t = now();
      const p: Party = {
        id: nextId("pa"),
        name: d.name.trim(),
        kind: d.kind,
        aliases,
        revision: 1,
        created_at: t,
        updated_at: t,
      };
      parties.push(p);
      return p;
    },
    partyUpdate: async (id, patch) => {
      const p = party(id);
      const name = patch.name ?? p.name;
      const aliases = patch.aliases ? cleanList(patch.aliases) : p.aliases;
      checkParty(name, aliases);
      Object.assign(p, {
        name: name.trim(),
        kind: patch.kind ?? p.kind,
        aliases,
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
      if (
        links.some(
          (l) => l.matter_id === d.matter_id && l.party_id === d.party_id && l.role === d.role,
        )
      )
        throw {
          code: "duplicate",
          message: `This party is already linked to the matter as ${d.role}. Choose another role, or leave the existing link.`,
          field: "role",
        } as ApiError;
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
      if (
        links.some(
          (x) =>
            x.id !== id &&
            x.matter_id === l.matter_id &&
            x.party_id === l.party_id &&
            x.role === role,
        )
      )
        throw {
          code: "duplicate",
          message: `This party is already linked to the matter as ${role}.`,
          field: "role",
        } as ApiError;
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
      if (!d.matter_id) throw invalid("matter_id", "Choose the matter the consent is for.");
      if (!d.provider_id) throw invalid("provider_id", "Choose the provider the consent is for.");
      matter(d.matter_id);
      provider(d.provider_id);
      const countries = cleanList(d.countries, true);
      checkConsent({ ...d, countries });
      const t = now();
      const c: Consent = {
        id: nextId("c"),
        matter_id: d.matter_id,
        provider_id: d.provider_id,
        scope: d.scope.trim(),
        data_classes: [...new Set(d.data_classes ?? [])].sort(),
        countries: [...new Set(countries)].sort(),
        given_on: d.given_on,
        evidence: d.evidence.trim(),
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
      const next = {
        scope: patch.scope ?? c.scope,
        countries: patch.countries ? cleanList(patch.countries, true) : c.countries,
        given_on: patch.given_on ?? c.given_on,
        evidence: patch.evidence ?? c.evidence,
      };
      checkConsent(next);
      Object.assign(c, {
        ...next,
        data_classes: patch.data_classes ? [...new Set(patch.data_classes)].sort() : c.data_classes,
        covers_ai_use: patch.covers_ai_use ?? c.covers_ai_use,
        ai_use_evidence:
          patch.covers_ai_use === false ? null : (patch.ai_use_evidence ?? c.ai_use_evidence),
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
      if (!d.matter_id) throw invalid("matter_id", "Choose the matter the work is for.");
      if (!d.provider_id) throw invalid("provider_id", "Choose the provider who will do the work.");
      matter(d.matter_id);
      provider(d.provider_id);
      const fields = {
        scope: d.scope.trim(),
        due_on: d.due_on,
        budget: echoBudget(d.budget, d.budget_currency),
        supervising_attorney: d.supervising_attorney.trim(),
      };
      checkAssignment(fields);
      const t = now();
      const a: Assignment = {
        id: nextId("a"),
        matter_id: d.matter_id,
        provider_id: d.provider_id,
        instructions: d.instructions?.trim() || null,
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
      if (a.status === "approved" || a.status === "cancelled")
        throw {
          code: "not_allowed",
          message: `This assignment is ${a.status} and can no longer be changed.`,
        } as ApiError;
      const fields = {
        scope: (patch.scope ?? a.scope).trim(),
        due_on: patch.due_on ?? a.due_on,
        budget:
          patch.budget === undefined
            ? a.budget
            : echoBudget(patch.budget, patch.budget_currency ?? a.budget?.currency),
        supervising_attorney: (patch.supervising_attorney ?? a.supervising_attorney).trim(),
      };
      checkAssignment(fields);
      Object.assign(a, fields, {
        instructions:
          patch.instructions !== undefined ? patch.instructions.trim() || null : a.instructions,
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
      if (!d.author.trim()) throw invalid("author", "Enter who wrote the message.");
      if (!d.body.trim()) throw invalid("body", "Write the message before sending it.");
      if (d.body.length > MESSAGE_BODY_MAX)
        throw invalid(
          "body",
          `This field holds at most ${MESSAGE_BODY_MAX} characters; it has ${d.body.length}. Shorten it.`,
        );
      const t = now();
      const m: Message = {
        id: nextId("msg"),
        matter_id: d.matter_id,
        author: d.author.trim(),
        sent_at: d.sent_at ?? t,
        body: d.body.trim(),
        revision: 1,
        created_at: t,
        // A note kept here only: it never went through the exchange.
        from_side: null,
        delivery: null,
      };
      messages.push(m);
      return m;
    },
  };
}
