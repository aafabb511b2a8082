import type { Deadline } from "../bindings/Deadline";

/** "Mon 23 Mar 2026" from "2026-03-23", read as a calendar day (no time zone shift). */
export function formatDay(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  return d.toLocaleDateString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

interface Props {
  deadlines: Deadline[];
  onOpen: (id: string) => void;
  /** Show the matter number (lists across matters). */
  showMatter?: boolean;
  empty?: string;
}

export function DeadlineList({ deadlines, onOpen, showMatter = true, empty }: Props) {
  if (deadlines.length === 0) return <p className="muted small">{empty ?? "Nothing here."}</p>;
  return (
    <ul className="deadlines">
      {deadlines.map((d) => (
        <li
          key={d.id}
          data-testid="deadline-item"
          data-id={d.id}
          className={d.status === "done" ? "done" : undefined}
        >
          <button className="deadline-row" onClick={() => onOpen(d.id)}>
            <span className="due mono">{formatDay(d.due_date)}</span>
            <span className="what">
              <span className="strong">{d.title}</span>
              {showMatter && <span className="muted mono"> · {d.matter_number}</span>}
              {d.warnings.length > 0 && (
                <span className="warn-dot" title={d.warnings.join("\n")} aria-label="Warning">
                  !
                </span>
              )}
            </span>
            <span className={`pill kind-${d.kind}`}>{d.kind}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
