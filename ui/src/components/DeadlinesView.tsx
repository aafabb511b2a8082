import { useState } from "react";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { Dashboard } from "../bindings/Dashboard";
import type { MovedDeadline } from "../bindings/MovedDeadline";
import { DeadlineList } from "./DeadlineList";
import { MonthCalendar } from "./MonthCalendar";
import { Tabs } from "./Tabs";

interface Props {
  onOpen: (id: string) => void;
  onExport: () => void;
  onSettings: () => void;
}

type View = "deadlines-list" | "deadlines-month";

/** The two views, as tabs `#tab-deadlines-list` / `#tab-deadlines-month`. */
const VIEWS: { key: View; label: string }[] = [
  { key: "deadlines-list", label: "Due soon" },
  { key: "deadlines-month", label: "Month" },
];

const BUCKETS: [keyof Omit<Dashboard, "today">, string, string][] = [
  ["overdue", "Overdue", "Nothing overdue."],
  ["due_today", "Today", "Nothing due today."],
  ["next_7_days", "Next 7 days", "Nothing in the next week."],
  ["next_30_days", "Next 30 days", "Nothing later this month."],
];

export function DeadlinesView({ onOpen, onExport, onSettings }: Props) {
  const backend = useBackend();
  const [mode, setMode] = useState<View>("deadlines-list");
  // What the last recompute moved: kept after its row leaves the banner.
  const [recomputed, setRecomputed] = useState<{ of: string; moved: MovedDeadline[] } | null>(null);
  const { data, error, update, fail } = useBackendQuery(
    async (b) => {
      const [dash, all, problems, changes] = await Promise.all([
        b.deadlineDashboard(),
        b.deadlineList({ status: "open" }),
        b.deadlineCalendarProblems(),
        b.deadlineCalendarChanges(),
      ]);
      return { dash, all, problems, changes };
    },
    [],
    ["deadline"],
  );
  const dash = data?.dash ?? null;
  const all = data?.all ?? [];
  const problems = data?.problems ?? [];
  const changes = data?.changes ?? [];

  const total = dash ? BUCKETS.reduce((n, [k]) => n + dash[k].length, 0) : 0;

  return (
    <div className="deadlines-view">
      <header className="toolbar">
        <h1>Deadlines</h1>
        <span className="spacer" />
        <button onClick={onSettings} data-testid="deadline-settings-open">
          Settings
        </button>
        <button onClick={onExport} data-testid="export-deadlines">
          Export to calendar…
        </button>
      </header>
      {error && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      {problems.map((p) => (
        <p key={p} className="banner warn" role="alert" data-testid="calendar-problem">
          A firm calendar could not be read, so its holidays are not counted: {p}
        </p>
      ))}
      {changes.length > 0 && (
        <div className="banner warn" data-testid="calendar-changes">
          <strong>
            {changes.length === 1
              ? "1 deadline was counted with a holiday calendar that has changed since."
              : `${changes.length} deadlines were counted with a holiday calendar that has changed since.`}
          </strong>{" "}
          Recompute each to count it with the calendar as it is now.
          <ul>
            {changes.map((c) => (
              <li key={c.deadline_id} data-testid="calendar-change">
                {c.matter_number}: {c.title}, due {c.due_date} ({c.calendar}){" "}
                <button
                  className="link"
                  id={`recompute-${c.deadline_id}`}
                  aria-label={`Recompute ${c.matter_number}: ${c.title}`}
                  onClick={() => {
                    setRecomputed(null);
                    void backend.deadlineRecompute(c.deadline_id).then((moved) => {
                      setRecomputed({ of: `${c.matter_number}: ${c.title}`, moved });
                      update((cur) => ({
                        ...cur,
                        changes: cur.changes.filter((x) => x.deadline_id !== c.deadline_id),
                      }));
                    }, fail);
                  }}
                >
                  Recompute
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {recomputed && (
        <p className="small" role="status" data-testid="recompute-result">
          Recomputed {recomputed.of}.{" "}
          {recomputed.moved.length === 0
            ? "Nothing moved."
            : `Moved: ${recomputed.moved.map((m) => `${m.title} ${m.old_due} → ${m.new_due}`).join("; ")}.`}
        </p>
      )}
      <Tabs
        tabs={VIEWS}
        active={mode}
        onChange={setMode}
        label="Deadline views"
        className="segmented view-tabs"
      >
        {dash && mode === "deadlines-list" && (
          <>
            {total === 0 && (
              <div className="empty" data-testid="deadlines-empty">
                <h2>Nothing due in the next 30 days</h2>
                <p>Add deadlines from a matter: open it and choose “Add deadline”.</p>
              </div>
            )}
            <div className="buckets">
              {BUCKETS.map(([key, label, empty]) => (
                <section key={key} className={`bucket bucket-${key}`} data-testid={`bucket-${key}`}>
                  <h2>
                    {label} <span className="count-badge">{dash[key].length}</span>
                  </h2>
                  <DeadlineList deadlines={dash[key]} onOpen={onOpen} empty={empty} />
                </section>
              ))}
            </div>
          </>
        )}
        {dash && mode === "deadlines-month" && (
          <MonthCalendar today={dash.today} deadlines={all} onOpen={onOpen} />
        )}
      </Tabs>
    </div>
  );
}
