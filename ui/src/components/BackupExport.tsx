import { type FormEvent, useState } from "react";
import { type ExportFormat, toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import type { BackupSummary } from "../bindings/BackupSummary";
import type { ChosenTarget } from "../bindings/ChosenTarget";
import type { ExportedFileSummary } from "../bindings/ExportedFileSummary";
import type { Progress } from "../bindings/Progress";
import {
  ErrorBanner,
  Field,
  invalidProps,
  MIN_PASSPHRASE_CHARS,
  NewPassphraseFields,
  newPassphraseError,
} from "./formBits";

/** "2.4 MB (2,400,512 bytes)". */
export function sizeText(bytes: number): string {
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  if (bytes < 1000) return exact;
  const units = ["kB", "MB", "GB", "TB"];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i]} (${exact})`;
}

function mb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** What a progress report means, in words. */
export function phaseText(p: Progress): string {
  switch (p.phase) {
    case "key":
      return "Deriving the backup key from the passphrase…";
    case "copying":
      return "Copying the store into a new encrypted database…";
    case "checking":
      return `Computing the SHA-256 checksum: ${mb(p.done)} of ${mb(p.total)}`;
    case "writing":
      return `Writing the backup file: ${mb(p.done)} of ${mb(p.total)}`;
    case "exporting":
      return p.item
        ? `Wrote ${p.item}: ${p.done} of ${p.total} files`
        : `Reading records: ${p.done} of ${p.total} files`;
  }
}

/** A single-step phase shows a moving bar until it is done: nothing finer is measured. */
function ProgressLine({ id, progress }: { id: string; progress: Progress }) {
  const single = progress.total <= 1 && progress.done < progress.total;
  return (
    <div className="transfer-progress">
      <progress
        id={id}
        data-testid={id}
        max={progress.total || 1}
        value={single ? undefined : progress.done}
        aria-label={phaseText(progress)}
      />
      <span className="small" role="status" data-testid={`${id}-text`}>
        {phaseText(progress)}
      </span>
    </div>
  );
}

/** Single quotes for a shell, so a path with spaces or quotes pastes as one word. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The field an error from the backend belongs to on this screen. */
function onField(e: ApiError, path: string): ApiError {
  return e.field === "path" ? { ...e, field: path } : e;
}

function BackupSection() {
  const backend = useBackend();
  // Where the native dialog said the backup goes: a one-time token and the path to
  // show. The window cannot name a place itself.
  const [target, setTarget] = useState<ChosenTarget | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BackupSummary | null>(null);

  const choose = () =>
    backend.backupChoose().then(
      (t) => {
        if (t) {
          setTarget(t);
          setError(null);
        }
      },
      (e) => setError(onField(toApiError(e), "backup-path")),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (!target) {
      setError({
        code: "invalid",
        field: "backup-path",
        message: "Use Choose… to pick where the backup goes.",
      });
      return;
    }
    const refused = newPassphraseError(passphrase, confirm);
    if (refused) {
      setError(refused);
      return;
    }
    setError(null);
    setRunning(true);
    setProgress(null);
    // The token is used up by this one write, whatever happens.
    setTarget(null);
    try {
      const made = await backend.backupCreate(target.token, passphrase, setProgress);
      setResult(made);
      setProgress((p) => (p ? { ...p, done: p.total } : p));
      // The passphrase is not kept on the screen once the backup is written.
      setPassphrase("");
      setConfirm("");
    } catch (err) {
      setProgress(null);
      setError(onField(toApiError(err), "backup-path"));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="transfer-section" aria-labelledby="backup-heading">
      <h2 id="backup-heading">Backup</h2>
      <p className="small muted">
        One file holding the whole store, encrypted with a key derived from a backup passphrase. It
        can be restored on another machine with that passphrase alone.
      </p>
      <form className="form" onSubmit={submit} data-testid="backup-form" noValidate>
        <Field label="Backup file" field="backup-path" error={error}>
          <div className="row">
            <input
              id="backup-path"
              data-testid="backup-path"
              readOnly
              value={target?.path ?? ""}
              placeholder="None chosen yet"
              {...invalidProps(error, "backup-path")}
            />
            <button type="button" onClick={choose} data-testid="backup-choose">
              Choose…
            </button>
          </div>
        </Field>
        <div className="field-row">
          <NewPassphraseFields
            label="Backup passphrase"
            ids={["backup-passphrase", "backup-confirm"]}
            passphrase={passphrase}
            confirm={confirm}
            error={error}
            onPassphrase={setPassphrase}
            onConfirm={setConfirm}
          />
        </div>
        <p className="small muted">
          At least {MIN_PASSPHRASE_CHARS} characters. Keep it apart from the backup: without it
          nobody, you included, can restore the file.
        </p>
        <ErrorBanner error={error} fields={["backup-path", "passphrase", "confirm"]} />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            id="backup-create"
            data-testid="backup-create"
            disabled={running}
          >
            {running ? "Backing up…" : "Create backup"}
          </button>
        </div>
      </form>
      {progress && <ProgressLine id="backup-progress" progress={progress} />}
      {result && (
        <div className="banner ok transfer-result" id="backup-result" data-testid="backup-result">
          <p className="strong">Backup written.</p>
          <dl>
            <div className="kv">
              <dt>File</dt>
              <dd className="mono">{result.path}</dd>
            </div>
            <div className="kv">
              <dt>Size</dt>
              <dd>{sizeText(result.bytes)}</dd>
            </div>
            <div className="kv">
              <dt>SHA-256</dt>
              <dd className="mono" data-testid="backup-sha256">
                {result.sha256}
              </dd>
            </div>
          </dl>
          <p>
            The file is encrypted: restoring it needs the backup passphrase you just typed. The
            checksum is of the encrypted database inside the file; Mandate checks it before it
            restores anything. To restore into an empty folder, on this machine or another:
          </p>
          <pre className="mono pre" data-testid="backup-restore-command">
            {`MANDATE_BACKUP_PASSPHRASE=… mandate --data-dir NEW_FOLDER backup restore ${shellQuote(result.path)}`}
          </pre>
          <p className="small">
            Or give the passphrase in a file with <code>--backup-passphrase-file FILE</code>.{" "}
            <code>mandate backup inspect {shellQuote(result.path)}</code> checks a backup without
            restoring it.
          </p>
        </div>
      )}
    </section>
  );
}

function ExportSection() {
  const backend = useBackend();
  const [target, setTarget] = useState<ChosenTarget | null>(null);
  const [format, setFormat] = useState<ExportFormat>("json");
  const [error, setError] = useState<ApiError | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [files, setFiles] = useState<ExportedFileSummary[] | null>(null);

  const choose = () =>
    backend.exportChoose().then(
      (t) => {
        if (t) {
          setTarget(t);
          setError(null);
        }
      },
      (e) => setError(onField(toApiError(e), "export-path")),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFiles(null);
    if (!target) {
      setError({
        code: "invalid",
        field: "export-path",
        message: "Use Choose… to pick a folder for the export.",
      });
      return;
    }
    setError(null);
    setRunning(true);
    setProgress(null);
    setTarget(null);
    try {
      setFiles(await backend.exportRecords(target.token, format, setProgress));
    } catch (err) {
      setProgress(null);
      setError(onField(toApiError(err), "export-path"));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="transfer-section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p className="small muted">
        Every matter, party, provider, consent, work order, deadline and message, the list of
        documents and their versions, and the disclosure ledger: one file per kind, for a
        spreadsheet or another program.
      </p>
      <p className="banner warn" role="note" data-testid="export-warning">
        Exported files are <strong>not encrypted</strong>: anyone who can open the folder can read
        every record in them. Keep them somewhere as safe as this computer, and delete them when you
        no longer need them.
      </p>
      <form className="form" onSubmit={submit} data-testid="export-form-records" noValidate>
        <div className="field-row">
          <Field label="Format" field="format" error={error}>
            <select
              id="export-format"
              data-testid="export-format"
              value={format}
              onChange={(e) => setFormat(e.target.value === "csv" ? "csv" : "json")}
            >
              <option value="json">JSON</option>
              <option value="csv">CSV</option>
            </select>
          </Field>
        </div>
        <Field label="Folder (empty, or a new one)" field="export-path" error={error}>
          <div className="row">
            <input
              id="export-path"
              data-testid="export-records-path"
              readOnly
              value={target?.path ?? ""}
              placeholder="None chosen yet"
              {...invalidProps(error, "export-path")}
            />
            <button type="button" onClick={choose} data-testid="export-choose">
              Choose…
            </button>
          </div>
        </Field>
        <ErrorBanner error={error} fields={["export-path", "format"]} />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            id="export-run"
            data-testid="export-run"
            disabled={running}
          >
            {running ? "Exporting…" : "Export"}
          </button>
        </div>
      </form>
      {progress && <ProgressLine id="export-progress" progress={progress} />}
      {files && (
        <div
          className="banner ok transfer-result"
          id="export-result"
          data-testid="export-records-result"
        >
          <p className="strong">
            Wrote {files.length} file{files.length === 1 ? "" : "s"} (not encrypted):
          </p>
          <ul>
            {files.map((f) => (
              <li key={f.path} data-testid="export-file">
                <span className="mono">{f.path}</span> — {f.records.toLocaleString("en-US")} record
                {f.records === 1 ? "" : "s"}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The "Backup & export" screen: an encrypted backup of the store, and a plaintext export. */
export function BackupExport() {
  return (
    <div className="transfer" data-testid="backup-export">
      <header className="toolbar">
        <h1>Backup &amp; export</h1>
      </header>
      <BackupSection />
      <ExportSection />
    </div>
  );
}
