import { useMemo, useState } from "react";
import type { Deadline } from "../bindings/Deadline";

interface Props {
  /** YYYY-MM-DD */
  today: string;
  deadlines: Deadline[];
  onOpen: (id: string) => void;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function iso(y: number, m: number, d: number): string {
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

/** A month grid, Monday first, with each day's deadlines. */
export function MonthCalendar({ today, deadlines, onOpen }: Props) {
  const [ty, tm] = today.split("-").map(Number) as [number, number];
  const [month, setMonth] = useState({ y: ty, m: tm - 1 });
  const byDay = useMemo(() => {
    const map = new Map<string, Deadline[]>();
    for (const d of deadlines) map.set(d.due_date, [...(map.get(d.due_date) ?? []), d]);
    return map;
  }, [deadlines]);

  const first = new Date(Date.UTC(month.y, month.m, 1));
  const lead = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(month.y, month.m + 1, 0)).getUTCDate();
  const cells: (string | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => iso(month.y, month.m, i + 1)),
  ];
  while (cells.length % 7) cells.push(null);
  const title = first.toLocaleDateString(undefined, {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const shift = (n: number) =>
    setMonth(({ y, m }) => ({
      y: m + n < 0 ? y - 1 : m + n > 11 ? y + 1 : y,
      m: (m + n + 12) % 12,
    }));

  return (
    <div className="month" data-testid="month-calendar">
      <div className="month-head">
        <button onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <h2 data-testid="month-title">{title}</h2>
        <button onClick={() => shift(1)} aria-label="Next month" data-testid="next-month">
          ›
        </button>
      </div>
      <div className="month-grid">
        {WEEKDAYS.map((w) => (
          <div key={w} className="weekday">
            {w}
          </div>
        ))}
        {cells.map((day, i) => (
          <div
            key={day ?? `pad-${i}`}
            className={`cell${day === today ? " today" : ""}${day ? "" : " pad"}`}
            data-day={day ?? undefined}
          >
            {day && <span className="daynum">{Number(day.slice(8))}</span>}
            {day &&
              (byDay.get(day) ?? []).map((d) => (
                <button
                  key={d.id}
                  className={`chip kind-${d.kind}`}
                  onClick={() => onOpen(d.id)}
                  title={`${d.matter_number}: ${d.title}`}
                  data-testid="month-chip"
                >
                  {d.title}
                </button>
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
