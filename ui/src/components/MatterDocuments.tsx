// The matter's documents tab: add files (new documents or new versions), read the
// text of any version, save a copy, review returned work, and see what of the
// matter was disclosed to providers.
//
// Files are read here only as the bytes of what the person picked in the system
// file chooser or dropped on the window; they go straight to Rust, which keeps them
// in the encrypted store. The window never names a path on disk.
import { useEffect, useState, type DragEvent } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import { allProviders } from "../api/allProviders";
import type { ApiError } from "../bindings/ApiError";
import type { Document } from "../bindings/Document";
import type { ReviewOutcome } from "../bindings/ReviewOutcome";
import { ErrorBanner, Field } from "./formBits";
import { fileSize as size } from "./format";
import { useUnsavedWhen } from "./unsaved";

const TEXT_STATUS: Record<string, string> = {
  text: "searchable",
  empty: "no text",
  unsupported: "not searchable",
  failed: "could not be read",
};

export function MatterDocuments({ matterId }: { matterId: string }) {
  const backend = useBackend();
  const list = useBackendQuery(
    (b) => Promise.all([b.documentList(matterId), b.disclosureList({ matter_id: matterId })]),
    [matterId],
    ["document"],
  );
  const [documents, disclosures] = list.data ?? [null, []];
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [dragging, setDragging] = useState(false);
  // Who each work order went to: a deliverable is marked "from <provider>".
  const senders = useBackendQuery(
    async (b) => {
      const [{ items }, providers] = await Promise.all([
        b.assignmentList({ matter_id: matterId, limit: 200 }),
        allProviders(b),
      ]);
      const names = new Map(providers.map((p) => [p.id, p.legal_name]));
      return new Map(items.map((a) => [a.id, names.get(a.provider_id) ?? "the provider"]));
    },
    [matterId],
    ["assignment", "provider"],
  );

  async function add(files: FileList | File[] | null, documentId?: string) {
    if (!files) return;
    setError(null);
    // Each add's change event loads the list again: no reload by hand as well.
    for (const file of Array.from(files)) {
      setAdding(file.name);
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const doc = await backend.documentAdd(
          { matter_id: matterId, file_name: file.name, document_id: documentId },
          bytes,
        );
        setOpenId(doc.id);
      } catch (e) {
        setError(toApiError(e));
        break;
      } finally {
        setAdding(null);
      }
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void add(e.dataTransfer.files);
  }

  const open = documents?.find((d) => d.id === openId) ?? null;

  return (
    <div
      className={dragging ? "documents dropping" : "documents"}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="matter-documents"
    >
      <div className="section-head">
        <h3>Documents</h3>
        <label className="small-btn file-pick">
          Add files…
          <input
            id="document-file"
            type="file"
            multiple
            onChange={(e) => {
              void add(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
          />
        </label>
      </div>
      {adding && (
        <p className="small muted" role="status">
          Adding {adding}…
        </p>
      )}
      <ErrorBanner error={error ?? list.error} fields={[]} />
      {documents === null ? (
        <p className="muted">Loading…</p>
      ) : documents.length === 0 ? (
        <p className="small muted">
          No documents yet. Add files with the button above or drop them here: PDF, Word (.docx),
          text and Markdown files become searchable; any other file is kept as it is.
        </p>
      ) : (
        <ul className="history" data-testid="document-list">
          {documents.map((d) => (
            <li key={d.id}>
              <button
                className="link"
                aria-expanded={openId === d.id}
                onClick={() => setOpenId(openId === d.id ? null : d.id)}
                data-testid="document-open"
              >
                {d.title}
              </button>{" "}
              <span className="muted small">
                v{d.latest.version} · {d.latest.file_name} · {size(d.latest.size)} ·{" "}
                {TEXT_STATUS[d.latest.text_status] ?? d.latest.text_status}
                {d.owner === "provider" && (
                  <span data-testid="document-from">
                    {" "}
                    · from{" "}
                    {(d.assignment_id && senders.data?.get(d.assignment_id)) ?? "the provider"}
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open && <DocumentPanel key={open.id} document={open} onAddVersion={add} />}
      <h3>Disclosure ledger</h3>
      {disclosures.length === 0 ? (
        <p className="small muted" data-testid="disclosures-empty">
          Nothing from this matter has been shared with a provider through Mandate. Each share is
          recorded here — what went, to whom, under which consent — and can never be changed or
          removed.
        </p>
      ) : (
        <ul className="history" data-testid="disclosure-list">
          {disclosures.map((x) => (
            <li key={x.id}>
              <span className="mono small">{x.decided_at.slice(0, 10)}</span> {x.decision}:{" "}
              {x.items.map((i) => i.label ?? i.kind).join(", ")}{" "}
              <span className="muted small">
                by {x.decided_by}
                {x.consent_id ? " · consent on file" : " · no consent recorded"}
              </span>
              {x.recipients.length > 0 && (
                <div className="small muted" data-testid="disclosure-recipients">
                  Encrypted to: <span className="mono">{x.recipients.join("; ")}</span>
                </div>
              )}
              {x.override_reason && (
                <div className="small" data-testid="disclosure-override">
                  Overridden by {x.decided_by}: {x.override_reason}
                </div>
              )}
              {x.decision !== "allow" &&
                x.reasons.map((r) => (
                  <div key={r} className="small muted">
                    {r}
                  </div>
                ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DocumentPanel({
  document,
  onAddVersion,
}: {
  document: Document;
  onAddVersion: (files: FileList | null, documentId: string) => Promise<void>;
}) {
  const backend = useBackend();
  // Asked again when a new version is added (the list hands a new `latest`).
  const history = useBackendQuery(
    (b) => Promise.all([b.documentVersions(document.id), b.documentReviews(document.id)]),
    [document.id, document.latest.id],
  );
  const [versions, reviews] = history.data ?? [[], []];
  const [versionId, setVersionId] = useState(document.latest.id);
  useEffect(() => setVersionId(document.latest.id), [document.latest.id]);
  // The text of the version chosen; "Loading…" (undefined) until that version's arrives.
  const textQuery = useBackendQuery(
    async (b) => ({ versionId, text: await b.documentText(versionId) }),
    [versionId],
  );
  const text = textQuery.data?.versionId === versionId ? textQuery.data.text : undefined;
  const [outcome, setOutcome] = useState<ReviewOutcome>("approved");
  const [notes, setNotes] = useState("");
  useUnsavedWhen(notes.trim() !== "");
  const [actionError, setError] = useState<ApiError | null>(null);
  const error = actionError ?? history.error ?? textQuery.error;
  const [notice, setNotice] = useState<string | null>(null);

  const shown = versions.find((v) => v.id === versionId) ?? document.latest;

  async function review() {
    setError(null);
    try {
      const r = await backend.documentReview({
        version_id: versionId,
        outcome,
        notes: notes.trim() || undefined,
      });
      history.update(([v, rs]) => [v, [...rs, r]]);
      setNotes("");
      setNotice(r.outcome === "approved" ? "Approved." : "Changes requested.");
    } catch (e) {
      setError(toApiError(e));
    }
  }

  async function saveCopy() {
    setError(null);
    try {
      const path = await backend.documentSaveCopy(versionId);
      if (path) setNotice(`Saved a copy to ${path}. It is not encrypted: keep it somewhere safe.`);
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <section className="document-panel" aria-label={document.title} data-testid="document-panel">
      <div className="section-head">
        <h4>{document.title}</h4>
        <div className="row">
          <label className="small-btn file-pick">
            New version…
            <input
              id="document-version-file"
              type="file"
              onChange={(e) => {
                void onAddVersion(e.currentTarget.files, document.id);
                e.currentTarget.value = "";
              }}
            />
          </label>
          <button className="small-btn" onClick={saveCopy} data-testid="document-save-copy">
            Save a copy…
          </button>
        </div>
      </div>
      <label className="field">
        <span>Version</span>
        <select
          id="document-version"
          value={versionId}
          onChange={(e) => setVersionId(e.target.value)}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              v{v.version} — {v.file_name} ({v.added_at.slice(0, 10)}, {v.added_by})
            </option>
          ))}
        </select>
      </label>
      <p className="small muted mono" title="SHA-256 of the file: compare it with the sender's">
        sha256 {shown.sha256}
      </p>
      {shown.text_note && <p className="small banner">{shown.text_note}</p>}
      {text === undefined ? (
        <p className="muted">Loading…</p>
      ) : text === null ? (
        <p className="small muted">
          No text to show for this file. Save a copy to open it in its own program.
        </p>
      ) : (
        <pre className="document-text" data-testid="document-text" tabIndex={0}>
          {text}
        </pre>
      )}
      <h4>Review</h4>
      {reviews.length > 0 && (
        <ul className="history" data-testid="review-list">
          {reviews.map((r) => (
            <li key={r.id}>
              {r.outcome === "approved" ? "Approved" : "Changes requested"}{" "}
              <span className="muted small">
                v{versions.find((v) => v.id === r.version_id)?.version ?? "?"} by {r.reviewer},{" "}
                {r.reviewed_at.slice(0, 10)}
              </span>
              {r.notes && <div className="small">{r.notes}</div>}
            </li>
          ))}
        </ul>
      )}
      <fieldset className="row">
        <legend className="small">Outcome for the version shown</legend>
        <label>
          <input
            type="radio"
            name="review-outcome"
            id="review-approved"
            checked={outcome === "approved"}
            onChange={() => setOutcome("approved")}
          />{" "}
          Approve
        </label>
        <label>
          <input
            type="radio"
            name="review-outcome"
            id="review-changes"
            checked={outcome === "changes_requested"}
            onChange={() => setOutcome("changes_requested")}
          />{" "}
          Request changes
        </label>
      </fieldset>
      <Field label="Notes" field="notes" error={error}>
        <textarea id="review-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <ErrorBanner error={error} fields={["notes"]} />
      {notice && (
        <p className="small" role="status">
          {notice}
        </p>
      )}
      <button className="primary" id="review-save" onClick={review}>
        Record review
      </button>
    </section>
  );
}
