import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import type { ChosenTarget } from "../bindings/ChosenTarget";
import { invalidProps } from "./formBits";

interface Props {
  onDone: () => void;
  /** Export only this matter's deadlines. */
  matter?: { id: string; number: string };
}

/** Exports open and done deadlines to an .ics file for the firm's calendar. */
export function ExportDeadlines({ onDone, matter }: Props) {
  const backend = useBackend();
  // Where the native dialog said the file goes: a one-time token and the path to
  // show. The window cannot name a place itself.
  const [target, setTarget] = useState<ChosenTarget | null>(null);
  const [includePrivate, setIncludePrivate] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<string | null>(null);

  const choose = () =>
    backend.deadlineExportChoose().then(
      (t) => {
        if (t) {
          setTarget(t);
          setError(null);
        }
      },
      (e) => setError(toApiError(e)),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    if (!target) {
      setError({ code: "invalid", field: "path", message: "Use Choose… to pick the file." });
      return;
    }
    // The token is used up by this one write, whatever happens.
    setTarget(null);
    try {
      const n = await backend.deadlineExport(
        target.token,
        matter ? { matter_id: matter.id } : {},
        includePrivate,
      );
      setResult(`Exported ${n} deadline${n === 1 ? "" : "s"} to ${target.path}.`);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="export-form">
      <h2>{matter ? `Export ${matter.number} to calendar` : "Export to calendar"}</h2>
      <p className="small muted">
        Writes an iCalendar (.ics) file your calendar can import. Importing it again updates the
        same entries instead of adding new ones.
      </p>
      <label className="field">
        <span>File</span>
        <div className="row">
          <input
            id="deadline-export-path"
            data-testid="export-path"
            readOnly
            value={target?.path ?? ""}
            placeholder="None chosen yet"
            {...invalidProps(error, "path", "deadline-export-path-error")}
          />
          <button type="button" onClick={choose} data-testid="deadline-export-choose">
            Choose…
          </button>
        </div>
        {error?.field === "path" && (
          <small
            id="deadline-export-path-error"
            className="field-error"
            data-testid="deadline-export-path-error"
          >
            {error.message}
          </small>
        )}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={includePrivate}
          onChange={(e) => setIncludePrivate(e.target.checked)}
        />
        Include deadline titles. Leave this off if the calendar is in the cloud: titles may name the
        client or the strategy.
      </label>
      {error && error.field !== "path" && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      {result && (
        <p className="banner ok" data-testid="export-result">
          {result}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="primary" data-testid="export-save">
          Export
        </button>
      </div>
    </form>
  );
}
