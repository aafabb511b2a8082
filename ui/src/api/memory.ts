// An in-memory backend for component tests. It mirrors the backend's contract
// (duplicate numbers, required fields, {code, message, field} errors) closely
// enough to exercise the screens; the real rules live in crates/core and are
// tested there and end to end.
import type { LedgerRow } from "../bindings/LedgerRow";
import type { ApiError } from "../bindings/ApiError";
import type { AuditRecord } from "../bindings/AuditRecord";
import type { Matter } from "../bindings/Matter";
import type { Message } from "../bindings/Message";
import type { MatterDraft } from "../bindings/MatterDraft";
import type { MatterPatch } from "../bindings/MatterPatch";
import type { MatterSort } from "../bindings/MatterSort";
import type { Deadline } from "../bindings/Deadline";
import type { Document } from "../bindings/Document";
import type { CalendarChange } from "../bindings/CalendarChange";
import type { DeadlineReminder } from "../bindings/DeadlineReminder";
import type { DeadlineSettings } from "../bindings/DeadlineSettings";
import type { Provider } from "../bindings/Provider";
import type { Backend, ChangeKind } from "./backend";
import { practiceMemory } from "./memoryPractice";
import { documentsMemory, markWords } from "./memoryDocuments";
import { backupMemory, type DialogMemory, dialogMemory } from "./memoryBackup";
import { exchangeMemory } from "./memoryExchange";
import {
  LIST_DEFAULT_LIMIT,
  NEXT_MONTH_DAYS,
  NEXT_WEEK_DAYS,
  SHORT_TEXT_MAX,
} from "../bindings/constants";
import { DEADLINE_EXAMPLES, DEADLINE_REFUSALS, DEADLINE_RULES } from "../bindings/rules";

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function invalid(field: string, message: string): ApiError {
  return { code: "invalid", message, field };
}

/** Country codes as the store keeps them: upper case, each once, sorted. */
function checkCountries(list: string[] | undefined): string[] {
  const codes = [...new Set((list ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean))];
  const bad = codes.find((c) => !/^[A-Z]{2}$/.test(c));
  if (bad)
    throw invalid(
      "allowed_countries",
      `"${bad}" is not an ISO 3166-1 country code: use two letters, e.g. US, GB, DE, IN.`,
    );
  return codes.sort();
}

const CLASS_ORDER = [
  "eu_uk_personal_data",
  "health_information",
  "export_controlled",
  "protective_order",
] as const;

function checkSupervisor(v: string | null | undefined): string | null {
  const t = v?.trim() ?? "";
  if (t.length > SHORT_TEXT_MAX)
    throw invalid(
      "supervising_attorney",
      `This field holds at most ${SHORT_TEXT_MAX} characters; it has ${t.length}. Shorten it.`,
    );
  return t || null;
}

/** SQLite's NOCASE: ASCII letters folded, nothing else. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The (key, number) a matter sorts by, as the store orders and seeks. */
function sortKey(m: Matter, sort: MatterSort): [string, string] {
  const key =
    sort === "number"
      ? ""
      : sort === "title"
        ? m.title
        : sort === "client"
          ? m.client_name
          : m.opened_on;
  return [key, m.number];
}

function compareKeys(sort: MatterSort, a: [string, string], b: [string, string]): number {
  const c = sort === "opened_desc" ? cmp(a[0], b[0]) : cmp(fold(a[0]), fold(b[0]));
  const n = c || cmp(fold(a[1]), fold(b[1]));
  return sort === "opened_desc" ? -n : n;
}

function checkRequired(d: { number: string; title: string; client_name: string }) {
  if (!d.number.trim()) throw invalid("number", "Enter a matter number.");
  if (!d.title.trim()) throw invalid("title", "Enter a title.");
  if (!d.client_name.trim()) throw invalid("client_name", "Enter the client's name.");
}

export function memoryBackend(
  seed: Matter[] = [],
  today = "2026-11-27",
): Backend & {
  matters: Matter[];
  deadlines: Deadline[];
  exported: string[];
  reminders: DeadlineReminder[];
  /** What deadlineCalendarChanges answers, as a test puts it (Rust compares the hashes). */
  calendarChanges: CalendarChange[];
  /** The deadlines recomputed, by id. */
  recomputed: string[];
  documents: Document[];
  /** The matters' messages, in the order added (a test may replace one, as Rust rewrites a row). */
  messages: Message[];
  saved: string[];
  /** The disclosure ledger's rows, as a test puts them (Rust writes the real one). */
  ledger: LedgerRow[];
  /** What Rust does when another process wrote: emit a change of `kind`. */
  emitChange(kind: ChangeKind): void;
  /** What the next native dialog answers, and the tokens it handed out. */
  dialog: DialogMemory;
  /** The exchange with providers: its canned answers (set them) and the calls made. */
  exchange: ReturnType<typeof exchangeMemory>["exchange"];
} {
  const matters = [...seed];
  const dialog = dialogMemory();
  const deadlines: Deadline[] = [];
  const exported: string[] = [];
  let settings: DeadlineSettings = {
    vendor_buffer_court_days: 3,
    default_reminders: [10080, 1440],
    notification_titles: false,
  };
  const providers: Provider[] = [];
  const practice = practiceMemory({ matters, providers, today });
  const { documents, saved, ledger, searchDocuments, documentChanged, ...documentMethods } =
    documentsMemory(matters);
  let locked = false;
  const reminders: DeadlineReminder[] = [];
  const calendarChanges: CalendarChange[] = [];
  const recomputed: string[] = [];
  let passphrase = "correct horse battery staple";
  let idleMinutes = 15;
  const lockListeners = new Set<() => void>();
  const providerListeners = new Set<() => void>();
  const deadlineListeners = new Set<() => void>();
  const deadlineChanged = () => deadlineListeners.forEach((l) => l());
  const findDeadline = (id: string) => {
    const d = deadlines.find((x) => x.id === id);
    if (!d) throw { code: "not_found", message: "That deadline no longer exists." } as ApiError;
    return d;
  };
  const history: AuditRecord[] = [];
  const listeners = new Set<(id: string) => void>();
  // Kinds this double writes without telling anyone (practice records): only an
  // outside change (emitChange) reaches their listeners.
  const otherListeners = new Map<ChangeKind, Set<() => void>>();
  const othersOf = (kind: ChangeKind) => {
    let set = otherListeners.get(kind);
    if (!set) otherListeners.set(kind, (set = new Set()));
    return set;
  };
  const changed = (id: string) => listeners.forEach((l) => l(id));
  const clash = (number: string, id?: string) =>
    matters.some((m) => m.number.toLowerCase() === number.trim().toLowerCase() && m.id !== id);
  const log = (action: string, id: string) =>
    history.push({
      seq: history.length + 1,
      at: new Date().toISOString(),
      actor: "test",
      action,
      entity: "matter",
      entity_id: id,
      detail: {},
    });
  const find = (id: string) => {
    const m = matters.find((x) => x.id === id);
    if (!m) throw { code: "not_found", message: "That matter no longer exists." } as ApiError;
    return m;
  };

  return {
    matters,
    deadlines,
    exported,
    reminders,
    calendarChanges,
    recomputed,
    appInfo: async () => ({
      version: "test",
      data_dir: "/memory",
      data_dir_source: "test",
      store_error: locked
        ? { code: "passphrase_required", message: "This store is protected by a passphrase." }
        : null,
      passphrase_protected: true,
      audit_warning: null,
    }),
    storeRetry: async () => {},
    storeUnlock: async (p) => {
      if (p !== passphrase)
        throw {
          code: "wrong_passphrase",
          message: "That passphrase does not open this store.",
        } as ApiError;
      locked = false;
    },
    storeLock: async () => {
      locked = true;
      lockListeners.forEach((l) => l());
    },
    // Which passphrase is current is this double's own state; the rules for a
    // new one are checked in the window (formBits) and in Rust.
    storeChangePassphrase: async (current, p) => {
      if (current !== passphrase)
        throw invalid("current", "That is not the store's current passphrase.");
      passphrase = p;
    },
    idleLockGet: async () => idleMinutes,
    idleLockSet: async (m) => {
      idleMinutes = m;
    },
    storeActivity: async () => {},
    onStoreLocked: async (handler) => {
      lockListeners.add(handler);
      return () => lockListeners.delete(handler);
    },
    matterCreate: async (d: MatterDraft) => {
      checkRequired(d);
      if (clash(d.number))
        throw {
          code: "duplicate",
          message: `Matter number ${d.number} is already in use.`,
          field: "number",
        } as ApiError;
      const now = new Date().toISOString();
      const m: Matter = {
        id: `m${matters.length + 1}`,
        number: d.number.trim(),
        title: d.title.trim(),
        client_name: d.client_name.trim(),
        practice_area: d.practice_area?.trim() || null,
        court: d.court?.trim() || null,
        jurisdiction: d.jurisdiction?.trim() || null,
        supervising_attorney: checkSupervisor(d.supervising_attorney),
        data_classes: CLASS_ORDER.filter((c) => d.data_classes?.includes(c)),
        allowed_countries: checkCountries(d.allowed_countries),
        status: "open",
        opened_on: d.opened_on || now.slice(0, 10),
        revision: 1,
        created_at: now,
        updated_at: now,
      };
      matters.push(m);
      log("matter.create", m.id);
      changed(m.id);
      return m;
    },
    matterList: async (f) => {
      const words = (f.query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      const client = fold(f.client?.trim() ?? "");
      const court = fold(f.court?.trim() ?? "");
      const provider = f.provider_id?.trim();
      const sort = f.sort ?? "opened_desc";
      const items = matters.filter(
        (m) =>
          (!f.status || m.status === f.status) &&
          words.every((w) => `${m.number} ${m.title} ${m.client_name}`.toLowerCase().includes(w)) &&
          (!client || fold(m.client_name).startsWith(client)) &&
          (!court || fold(m.court ?? "") === court) &&
          (!provider ||
            practice.assignments.some((a) => a.matter_id === m.id && a.provider_id === provider)),
      );
      const sorted = [...items].sort((a, b) =>
        compareKeys(sort, sortKey(a, sort), sortKey(b, sort)),
      );
      let rest = sorted;
      if (f.after) {
        const [s2, key, number] = JSON.parse(f.after) as [MatterSort, string, string];
        if (s2 !== sort)
          throw invalid(
            "after",
            "This page position belongs to another sort order; start again from the first page.",
          );
        rest = sorted.filter((m) => compareKeys(sort, sortKey(m, sort), [key, number]) > 0);
      }
      const limit = f.limit ?? LIST_DEFAULT_LIMIT;
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      const next =
        rest.length > limit && last
          ? JSON.stringify([sort, sort === "number" ? "" : sortKey(last, sort)[0], last.number])
          : null;
      const counted = f.count ?? !f.after;
      return { items: page, total: counted ? items.length : null, next };
    },
    matterGet: async (id) => find(id),
    matterUpdate: async (id, p: MatterPatch) => {
      const m = find(id);
      const next: Matter = {
        ...m,
        number: p.number ?? m.number,
        title: p.title ?? m.title,
        client_name: p.client_name ?? m.client_name,
        practice_area: p.practice_area === undefined ? m.practice_area : p.practice_area || null,
        court: p.court === undefined ? m.court : p.court || null,
        jurisdiction: p.jurisdiction === undefined ? m.jurisdiction : p.jurisdiction || null,
        supervising_attorney:
          p.supervising_attorney === undefined
            ? m.supervising_attorney
            : checkSupervisor(p.supervising_attorney),
        data_classes: p.data_classes
          ? CLASS_ORDER.filter((c) => p.data_classes?.includes(c))
          : m.data_classes,
        allowed_countries: p.allowed_countries
          ? checkCountries(p.allowed_countries)
          : m.allowed_countries,
        status: p.status ?? m.status,
        opened_on: p.opened_on ?? m.opened_on,
        revision: m.revision + 1,
      };
      checkRequired(next);
      if (clash(next.number, id))
        throw { code: "duplicate", message: "That number is in use.", field: "number" } as ApiError;
      Object.assign(m, next);
      log("matter.update", id);
      changed(id);
      return m;
    },
    matterHistory: async (id) => history.filter((h) => h.entity_id === id),
    search: async (query) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      const has = (text: string) =>
        words.length > 0 && words.every((w) => text.toLowerCase().includes(w));
      return {
        query: query.trim(),
        matters: matters.filter((m) => has(`${m.number} ${m.title} ${m.client_name}`)),
        parties: [],
        party_links: [],
        providers: providers.filter((p) => has(p.legal_name)),
        messages: practice.messages
          .filter((x) => has(x.body))
          .map((x) => ({
            id: x.id,
            matter_id: x.matter_id,
            matter_number: find(x.matter_id).number,
            author: x.author,
            sent_at: x.sent_at,
            snippet: markWords(x.body.slice(0, 120), words),
          })),
        documents: searchDocuments(words),
      };
    },
    onMatterChanged: async (handler) => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    // Deadlines: what a rule computes, and what Rust refuses, come from Rust
    // (bindings/rules.ts, generated by ui_rules_are_current); a draft it has no answer
    // for fails the test, naming where to add it.
    deadlineRules: async () => DEADLINE_RULES,
    deadlineCreate: async (d) => {
      const m = matters.find((x) => x.id === d.matter_id);
      if (!m) throw { code: "not_found", message: "That matter no longer exists." } as ApiError;
      const key = {
        rule_id: d.rule_id ?? null,
        trigger: d.trigger?.trim() || null,
        due_date: d.due_date?.trim() || null,
        title: d.title?.trim() || null,
      };
      const refused = DEADLINE_REFUSALS.find(
        (r) =>
          r.draft.rule_id === key.rule_id &&
          r.draft.trigger === key.trigger &&
          r.draft.due_date === key.due_date &&
          r.draft.title === key.title,
      );
      if (refused) throw refused.error;
      const computed = key.rule_id
        ? DEADLINE_EXAMPLES.find((e) => e.rule_id === key.rule_id && e.trigger === key.trigger)
        : undefined;
      if (key.rule_id && !computed)
        throw new Error(
          `No deadline computed by Rust for rule ${key.rule_id} from ${key.trigger}: add it to DEADLINE_EXAMPLES in crates/store/src/ui_rules_tests.rs.`,
        );
      if (!computed && (!key.due_date || !key.title))
        throw new Error(
          "The in-memory backend takes only dates entered by hand with a title, or rules Rust computed: add the draft to crates/store/src/ui_rules_tests.rs.",
        );
      const now = new Date().toISOString();
      const made: Deadline = {
        id: `d${deadlines.length + 1}`,
        matter_id: m.id,
        matter_number: m.number,
        assignment_id: null,
        kind: d.kind ?? "court",
        title: key.title ?? computed?.title ?? "",
        rule_id: key.rule_id,
        citation: computed?.citation ?? null,
        trigger_date: key.trigger,
        trigger_name: computed?.trigger_name ?? null,
        due_date: computed?.due_date ?? key.due_date ?? "",
        due_at: computed?.due_at ?? null,
        time_zone: computed?.time_zone ?? "America/New_York",
        steps: computed?.steps ?? [],
        verify: computed?.verify ?? [],
        serves_id: d.serves_id ?? null,
        warnings: computed?.warnings ?? [],
        status: "open",
        done_by: null,
        done_at: null,
        reminders: d.reminders ?? settings.default_reminders,
        sequence: 0,
        revision: 1,
        created_at: now,
        updated_at: now,
      };
      deadlines.push(made);
      deadlineChanged();
      return [made];
    },
    deadlineList: async (f) =>
      deadlines
        .filter(
          (d) =>
            (!f.matter_id || d.matter_id === f.matter_id) &&
            (!f.status || d.status === f.status) &&
            (!f.from || d.due_date >= f.from) &&
            (!f.to || d.due_date <= f.to),
        )
        .sort((a, b) => a.due_date.localeCompare(b.due_date)),
    deadlineGet: async (id) => findDeadline(id),
    deadlineSetDone: async (id, done) => {
      const d = findDeadline(id);
      d.status = done ? "done" : "open";
      d.done_by = done ? "test" : null;
      d.done_at = done ? new Date().toISOString() : null;
      deadlineChanged();
      return d;
    },
    deadlineMove: async () => [],
    deadlineDashboard: async () => {
      const open = deadlines
        .filter((d) => d.status === "open")
        .sort((a, b) => a.due_date.localeCompare(b.due_date));
      // The buckets' ends are Rust's (Bucket::of in crates/core/src/deadline.rs).
      const d7 = addDays(today, NEXT_WEEK_DAYS);
      const d30 = addDays(today, NEXT_MONTH_DAYS);
      return {
        today,
        overdue: open.filter((d) => d.due_date < today),
        due_today: open.filter((d) => d.due_date === today),
        next_7_days: open.filter((d) => d.due_date > today && d.due_date <= d7),
        next_30_days: open.filter((d) => d.due_date > d7 && d.due_date <= d30),
      };
    },
    deadlineCalendarProblems: async () => [],
    // Which calendars changed is Rust's to say (their files' hashes): a test sets it.
    deadlineCalendarChanges: async () => [...calendarChanges],
    deadlineRecompute: async (id) => {
      recomputed.push(id);
      const i = calendarChanges.findIndex((c) => c.deadline_id === id);
      if (i >= 0) calendarChanges.splice(i, 1);
      return [];
    },
    deadlineSettingsGet: async () => settings,
    deadlineSettingsSet: async (s) => {
      settings = s;
    },
    deadlineExportChoose: async () => dialog.choose("calendar"),
    deadlineExport: async (target) => {
      const path = dialog.take(target, "calendar");
      if (!path.endsWith(".ics"))
        throw invalid("path", "Save the calendar as a file ending in .ics.");
      exported.push(path);
      return deadlines.length;
    },
    onDeadlineChanged: async (handler) => {
      deadlineListeners.add(handler);
      return () => deadlineListeners.delete(handler);
    },
    onReminders: async (handler: (r: DeadlineReminder[]) => void) => {
      void handler;
      return () => {};
    },
    deadlineReminders: async () => reminders,
    deadlineRemindersDismiss: async () => {
      reminders.length = 0;
    },
    providerList: async (f) => {
      const q = (f.query ?? "").toLowerCase();
      const items = providers.filter((p) =>
        `${p.legal_name} ${p.services.join(" ")}`.toLowerCase().includes(q),
      );
      const from = f.offset ?? 0;
      return {
        items: items.slice(from, from + (f.limit ?? LIST_DEFAULT_LIMIT)),
        total: items.length,
      };
    },
    providerGet: async (id) => {
      const p = providers.find((x) => x.id === id);
      if (!p) throw { code: "not_found", message: "That provider no longer exists." } as ApiError;
      return p;
    },
    providerCreate: async (d) => {
      if (!d.legal_name.trim()) throw invalid("legal_name", "Enter the provider's legal name.");
      if ((d.countries ?? []).some((c) => !/^[A-Z]{2}$/.test(c)))
        throw invalid("countries", "Use two-letter country codes such as IN or PH.");
      const now = new Date().toISOString();
      const p: Provider = {
        id: `p${providers.length + 1}`,
        legal_name: d.legal_name.trim(),
        countries: d.countries ?? [],
        services: d.services ?? [],
        rates: [],
        contacts: [],
        diligence: [],
        diligence_review_on: d.diligence_review_on ?? null,
        nda_on_file: d.nda_on_file ?? false,
        nda_signed_on: d.nda_signed_on ?? null,
        baa_on_file: d.baa_on_file ?? false,
        baa_signed_on: d.baa_signed_on ?? null,
        transfer_mechanism_on_file: d.transfer_mechanism_on_file ?? false,
        transfer_mechanism_signed_on: d.transfer_mechanism_signed_on ?? null,
        ai_use: d.ai_use ?? "undeclared",
        ai_use_detail: d.ai_use_detail ?? null,
        conflicts: d.conflicts ?? [],
        notes: d.notes ?? null,
        export_clearance: d.export_clearance ?? null,
        revision: 1,
        created_at: now,
        updated_at: now,
      };
      providers.push(p);
      providerListeners.forEach((l) => l());
      return p;
    },
    onProviderChanged: async (handler) => {
      providerListeners.add(handler);
      return () => providerListeners.delete(handler);
    },
    providerUpdate: async (id, patch) => {
      const p = providers.find((x) => x.id === id);
      if (!p) throw { code: "not_found", message: "That provider no longer exists." } as ApiError;
      const date = (v: string | undefined, old: string | null) =>
        v === undefined ? old : v || null;
      const next: Provider = {
        ...p,
        legal_name: (patch.legal_name ?? p.legal_name).trim(),
        countries: patch.countries ?? p.countries,
        services: patch.services ?? p.services,
        nda_on_file: patch.nda_on_file ?? p.nda_on_file,
        nda_signed_on: date(patch.nda_signed_on, p.nda_signed_on),
        baa_on_file: patch.baa_on_file ?? p.baa_on_file,
        baa_signed_on: date(patch.baa_signed_on, p.baa_signed_on),
        transfer_mechanism_on_file:
          patch.transfer_mechanism_on_file ?? p.transfer_mechanism_on_file,
        transfer_mechanism_signed_on: date(
          patch.transfer_mechanism_signed_on,
          p.transfer_mechanism_signed_on,
        ),
        diligence: patch.diligence ?? p.diligence,
        diligence_review_on: date(patch.diligence_review_on, p.diligence_review_on),
        ai_use: patch.ai_use ?? p.ai_use,
        ai_use_detail: date(patch.ai_use_detail, p.ai_use_detail),
        notes: date(patch.notes, p.notes),
        export_clearance: date(patch.export_clearance, p.export_clearance),
        revision: p.revision + 1,
        updated_at: new Date().toISOString(),
      };
      if (!next.legal_name) throw invalid("legal_name", "Enter the provider's legal name.");
      if (next.countries.some((c) => !/^[A-Z]{2}$/.test(c)))
        throw invalid("countries", "Use two-letter country codes such as IN or PH.");
      Object.assign(p, next);
      providerListeners.forEach((l) => l());
      return p;
    },
    ...practice,
    ...documentMethods,
    onChanged: async (kind, handler) => {
      if (kind === "matter") {
        listeners.add(handler);
        return () => listeners.delete(handler);
      }
      const set: Set<() => void> =
        kind === "deadline"
          ? deadlineListeners
          : kind === "provider"
            ? providerListeners
            : othersOf(kind);
      if (kind === "document") return documentMethods.onDocumentChanged(handler);
      set.add(handler);
      return () => set.delete(handler);
    },
    emitChange: (kind) => {
      if (kind === "matter") listeners.forEach((l) => l(""));
      else if (kind === "deadline") deadlineChanged();
      else if (kind === "provider") providerListeners.forEach((l) => l());
      else if (kind === "document") documentChanged();
      else othersOf(kind).forEach((l) => l());
    },
    ...backupMemory(dialog),
    ...exchangeMemory(),
    documents,
    saved,
    ledger,
    dialog,
  };
}
