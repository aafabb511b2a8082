// What the window sends to Rust for a file: the bytes as the raw request body (no
// JSON array of numbers, which would cost a large file's size many times over) and
// its details in a percent-encoded header, as src-tauri/src/commands/documents.rs
// and exchange.rs read them.
import { beforeEach, expect, it, vi } from "vitest";

const invoke = vi.fn<(...args: unknown[]) => Promise<unknown>>(async () => ({}));
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

const { tauriBackend } = await import("./tauri");

beforeEach(() => invoke.mockClear());

it("sends a document's bytes as the raw body and its details in a header", async () => {
  const bytes = new Uint8Array(3 * 1024 * 1024).fill(7);
  await tauriBackend.documentAdd({ matter_id: "m-1", file_name: "Résumé ü.pdf" }, bytes);
  const [command, body, options] = invoke.mock.calls[0] ?? [];
  expect(command).toBe("document_add");
  // The very bytes given, not a copy turned into numbers.
  expect(body).toBe(bytes);
  const header = (options as { headers: Record<string, string> }).headers["x-mandate-upload"];
  expect(header).toMatch(/^[\x20-\x7e]+$/);
  expect(JSON.parse(decodeURIComponent(header ?? ""))).toEqual({
    matter_id: "m-1",
    file_name: "Résumé ü.pdf",
  });
});

it("sends a deliverable's bytes as the raw body too", async () => {
  const bytes = new Uint8Array([1, 2, 3]);
  await tauriBackend.engagementDeliver("ch-1", "Privilege log.xlsx", bytes);
  const [command, body, options] = invoke.mock.calls[0] ?? [];
  expect(command).toBe("engagement_deliver");
  expect(body).toBe(bytes);
  const header = (options as { headers: Record<string, string> }).headers["x-mandate-deliver"];
  expect(JSON.parse(decodeURIComponent(header ?? ""))).toEqual({
    channel_id: "ch-1",
    file_name: "Privilege log.xlsx",
  });
});
