import { type FormEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import { useUnsaved } from "./unsaved";

interface Props {
  onDone: () => void;
}

const DAY = 24 * 60;

/** "7, 1" (days before) <-> [10080, 1440] (minutes before). */
function toDays(minutes: number[]): string {
  return minutes.map((m) => String(Math.round((m / DAY) * 100) / 100)).join(", ");
}

export function DeadlineSettingsForm({ onDone }: Props) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [buffer, setBuffer] = useState("3");
  const [reminders, setReminders] = useState("7, 1");
  const [titles, setTitles] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  // The settings as saved, once, to start the form from.
  const start = useBackendQuery((b) => b.deadlineSettingsGet(), []).data;
  useEffect(() => {
    if (!start) return;
    setBuffer(String(start.vendor_buffer_court_days));
    setReminders(toDays(start.default_reminders));
    setTitles(start.notification_titles);
  }, [start]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const days = reminders
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (days.some((d) => !Number.isFinite(d) || d < 0)) {
      setError({
        code: "invalid",
        field: "reminders",
        message: "Write days as numbers, e.g. 7, 1.",
      });
      return;
    }
    try {
      await backend.deadlineSettingsSet({
        vendor_buffer_court_days: Number(buffer),
        default_reminders: days.map((d) => Math.round(d * DAY)),
        notification_titles: titles,
      });
      setError(null);
      setSaved(true);
      unsaved.saved();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <form
      className="form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="deadline-settings"
    >
      <h2>Deadline settings</h2>
      <label className="field">
        <span>Vendor buffer (court days before the court deadline)</span>
        <input
          type="number"
          min={0}
          value={buffer}
          onChange={(e) => setBuffer(e.target.value)}
          data-testid="field-buffer"
        />
        {error?.field === "vendor_buffer_court_days" && (
          <small className="field-error">{error.message}</small>
        )}
      </label>
      <label className="field">
        <span>Reminders for new deadlines (days before, comma-separated)</span>
        <input
          value={reminders}
          onChange={(e) => setReminders(e.target.value)}
          data-testid="field-reminders"
        />
        {error?.field === "reminders" && <small className="field-error">{error.message}</small>}
      </label>
      <p className="small muted">
        Mandate also reminds at the start of the due day, and on its next start for any reminder
        that came while it was closed.
      </p>
      <label className="check">
        <input
          type="checkbox"
          id="notification-titles"
          data-testid="notification-titles"
          checked={titles}
          onChange={(e) => setTitles(e.target.checked)}
          aria-describedby="notification-titles-note"
        />{" "}
        Name the matter and the deadline in desktop notifications
      </label>
      <p id="notification-titles-note" className="small muted">
        When this is off, a notification says only that a deadline on one of your matters is due,
        and when. Notifications can show on a locked screen, and a matter number or a
        deadline&apos;s title can tell who the client is. Reminders inside this window always name
        them.
      </p>
      {saved && <p className="banner ok">Saved.</p>}
      <div className="actions">
        <button type="button" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="primary" data-testid="save-settings">
          Save
        </button>
      </div>
    </form>
  );
}
