// The reminders raised while the window is open (and those from before it
// opened), as one line: the count, which opens the list. One line whatever the
// width, so the side panel never squeezes it into a column of words.
import { useState } from "react";
import type { DeadlineReminder } from "../bindings/DeadlineReminder";

/** "2026-0142: File the answer — due today". */
function reminderText(r: DeadlineReminder): string {
  const when =
    r.lead_minutes === 0
      ? r.missed
        ? `was due ${r.deadline.due_date}`
        : "due today"
      : `due ${r.deadline.due_date}`;
  return `${r.deadline.matter_number}: ${r.deadline.title} — ${when}`;
}

export function ReminderBanner({
  reminders,
  onOpen,
  onDismiss,
}: {
  reminders: DeadlineReminder[];
  onOpen: (deadlineId: string) => void;
  onDismiss: () => void;
}) {
  const [open, setOpen] = useState(false);
  if (reminders.length === 0) return null;
  const label =
    reminders.length === 1 ? "1 deadline reminder" : `${reminders.length} deadline reminders`;
  return (
    <div className="reminders" data-testid="reminders">
      <div className="reminders-line">
        {/* Announced when the count changes (a button's content is not a live region). */}
        <span className="sr-only" role="status">
          {label}
        </span>
        <button
          className="link"
          aria-expanded={open}
          aria-controls="reminder-list"
          onClick={() => setOpen((o) => !o)}
          data-testid="reminders-toggle"
        >
          {label}
        </button>
        <span className="spacer" />
        <button className="icon" aria-label="Dismiss reminders" onClick={onDismiss}>
          ×
        </button>
      </div>
      {open && (
        <ul id="reminder-list" className="reminder-list" data-testid="reminder-list">
          {reminders.map((r) => (
            <li key={`${r.deadline.id}-${r.lead_minutes}`}>
              <button
                className="link"
                title={reminderText(r)}
                onClick={() => onOpen(r.deadline.id)}
                data-testid="reminder"
              >
                {reminderText(r)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
