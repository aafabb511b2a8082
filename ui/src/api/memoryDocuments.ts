// The in-memory documents, versions and reviews of memory.ts, for component tests.
// Text is "read" only from .txt/.md files; the real extraction (.docx, .pdf) is in
// crates/extract and is tested there and end to end.
import type { ApiError } from "../bindings/ApiError";
import type { Document } from "../bindings/Document";
import type { DocumentVersion } from "../bindings/DocumentVersion";
import type { Matter } from "../bindings/Matter";
import type { Review } from "../bindings/Review";
import type { LedgerRow } from "../bindings/LedgerRow";
import type { Backend } from "./backend";

type DocumentMethods = Pick<
  Backend,
  | "documentAdd"
  | "documentList"
  | "documentVersions"
  | "documentText"
  | "documentSaveCopy"
  | "documentRedact"
  | "documentReview"
  | "documentReviews"
  | "onDocumentChanged"
  | "disclosureList"
  | "ledgerList"
  | "ledgerSaveCsv"
  | "ledgerSaveReport"
>;

const notFound = (message: string): ApiError => ({ code: "not_found", message });

type DocumentsMemory = DocumentMethods & {
  documents: Document[];
  ledger: LedgerRow[];
  saved: string[];
  /** Tells the document listeners, as Rust's document-changed event does. */
  documentChanged(): void;
};

export function documentsMemory(matters: Matter[]): DocumentsMemory {
  const documents: Document[] = [];
  const versions: DocumentVersion[] = [];
  const texts = new Map<string, string | null>();
  const reviews: Review[] = [];
  const saved: string[] = [];
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  let seq = 0;

  const ledger: LedgerRow[] = [];
  const methods: DocumentsMemory = {
    documents,
    ledger,
    saved,
    documentChanged: changed,
    documentAdd: async (upload, bytes) => {
      if (!matters.some((m) => m.id === upload.matter_id))
        throw notFound("The document names a matter that does not exist.");
      const name = upload.file_name.split(/[\\/]/).pop() ?? "";
      const readable = /\.(txt|md)$/i.test(name);
      const text = readable ? new TextDecoder().decode(bytes) : null;
      const now = new Date().toISOString();
      let doc = upload.document_id ? documents.find((d) => d.id === upload.document_id) : undefined;
      if (upload.document_id && !doc) throw notFound("That document does not exist.");
      const version: DocumentVersion = {
        id: `v${++seq}`,
        document_id: doc?.id ?? `doc${seq}`,
        version: doc ? doc.latest.version + 1 : 1,
        file_name: name,
        media_type: readable ? "text/plain" : "application/octet-stream",
        size: bytes.length,
        sha256: `sha-${seq}`,
        text_status: readable ? "text" : "unsupported",
        text_note: null,
        added_by: "you",
        added_at: now,
        note: upload.note ?? null,
      };
      versions.push(version);
      texts.set(version.id, text);
      if (doc) {
        doc.latest = version;
        doc.revision += 1;
        doc.updated_at = now;
      } else {
        doc = {
          id: version.document_id,
          matter_id: upload.matter_id,
          title: upload.title?.trim() || name.replace(/\.[^.]+$/, "") || name,
          owner: upload.owner ?? "firm",
          assignment_id: upload.assignment_id ?? null,
          latest: version,
          revision: 1,
          created_at: now,
          updated_at: now,
        };
        documents.unshift(doc);
      }
      changed();
      return doc;
    },
    documentList: async (matterId) => documents.filter((d) => d.matter_id === matterId),
    documentVersions: async (documentId) =>
      versions.filter((v) => v.document_id === documentId).sort((a, b) => b.version - a.version),
    documentText: async (versionId) => {
      if (!texts.has(versionId)) throw notFound("That document version does not exist.");
      return texts.get(versionId) ?? null;
    },
    // What Rust makes is Rust's (the scan, the markers, the name): the double only
    // adds a next version holding what the test can recognise.
    documentRedact: async (versionId) => {
      const v = versions.find((x) => x.id === versionId);
      const doc = documents.find((d) => d.id === v?.document_id);
      if (!v || !doc) throw notFound("That version does not exist.");
      const added = await methods.documentAdd(
        { matter_id: doc.matter_id, document_id: doc.id, file_name: `redacted-${v.file_name}` },
        new TextEncoder().encode(`redacted copy of ${v.id}`),
      );
      return added.latest;
    },
    documentSaveCopy: async (versionId) => {
      saved.push(versionId);
      return `/home/you/Documents/${versions.find((v) => v.id === versionId)?.file_name}`;
    },
    documentReview: async (draft) => {
      const r: Review = {
        id: `r${++seq}`,
        version_id: draft.version_id,
        reviewer: "you",
        outcome: draft.outcome,
        notes: draft.notes || null,
        reviewed_at: new Date().toISOString(),
      };
      reviews.push(r);
      changed();
      return r;
    },
    documentReviews: async (documentId) => {
      const ids = new Set(versions.filter((v) => v.document_id === documentId).map((v) => v.id));
      return reviews.filter((r) => ids.has(r.version_id));
    },
    onDocumentChanged: async (handler) => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    disclosureList: async () => [],
    // The rows a test put there (Rust writes the ledger; the double only hands it out).
    ledgerList: async () => [...ledger],
    // Where the native dialog would have written: recorded for the test to see.
    ledgerSaveCsv: async (filter) => {
      saved.push(`ledger.csv ${JSON.stringify(filter)}`);
      return "/home/ann/Documents/disclosure-ledger.csv";
    },
    ledgerSaveReport: async (matterId) => {
      saved.push(`report.pdf ${matterId}`);
      return "/home/ann/Documents/Disclosure report.pdf";
    },
  };
  return methods;
}
