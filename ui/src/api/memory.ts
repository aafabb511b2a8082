// An in-memory backend for component tests. It mirrors the backend's contract
// (duplicate numbers, required fields, {code, message, field} errors) closely
// enough to exercise the screens; the real rules live in crates/core and are
// tested there and end to end.
import type { ApiError } from "../bindings/ApiError";
import type { AuditRecord } from "../bindings/AuditRecord";
import type { Matter } from "../bindings/Matter";
import type { MatterDraft } from "../bindings/MatterDraft";
import type { MatterPatch } from "../bindings/MatterPatch";
import type { Backend } from "./backend";

function invalid(field: string, message: string): ApiError {
  return { code: "invalid", message, field };
}

function checkRequired(d: { number: string; title: string; client_name: string }) {
  if (!d.number.trim()) throw invalid("number", "Enter a matter number.");
  if (!d.title.trim()) throw invalid("title", "Enter a title.");
  if (!d.client_name.trim()) throw invalid("client_name", "Enter the client's name.");
}

export function memoryBackend(seed: Matter[] = []): Backend & { matters: Matter[] } {
  const matters = [...seed];
  const history: AuditRecord[] = [];
  const listeners = new Set<(id: string) => void>();
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
    appInfo: async () => ({
      version: "test",
      data_dir: "/memory",
      data_dir_source: "test",
      store_error: null,
    }),
    storeRetry: async () => {},
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
      const items = matters.filter(
        (m) =>
          (!f.status || m.status === f.status) &&
          words.every((w) => `${m.number} ${m.title} ${m.client_name}`.toLowerCase().includes(w)),
      );
      return { items: items.slice(0, f.limit ?? 200), total: items.length };
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
    onMatterChanged: async (handler) => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
  };
}
