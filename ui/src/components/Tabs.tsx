import { type KeyboardEvent, type ReactNode, useRef } from "react";

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

/**
 * WAI-ARIA tabs with automatic activation: the tabs form one Tab stop; Left/Right
 * arrows move between them (wrapping), Home and End go to the first and last.
 * Each tab is `#tab-<key>` and controls `#tabpanel-<key>`; only the active panel
 * is rendered. `className` styles the tab list (default `tabs`; the deadline views use
 * `segmented`).
 */
export function Tabs<K extends string>({
  tabs,
  active,
  onChange,
  label,
  className = "tabs",
  children,
}: {
  tabs: TabDef<K>[];
  active: K;
  onChange: (key: K) => void;
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.key === active);
    const target =
      e.key === "ArrowRight"
        ? tabs[(i + 1) % tabs.length]
        : e.key === "ArrowLeft"
          ? tabs[(i - 1 + tabs.length) % tabs.length]
          : e.key === "Home"
            ? tabs[0]
            : e.key === "End"
              ? tabs[tabs.length - 1]
              : undefined;
    if (!target) return;
    e.preventDefault();
    onChange(target.key);
    refs.current.get(target.key)?.focus();
  };
  return (
    <>
      <div className={className} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el);
              else refs.current.delete(t.key);
            }}
            type="button"
            role="tab"
            id={`tab-${t.key}`}
            data-testid={`tab-${t.key}`}
            aria-selected={t.key === active}
            aria-controls={t.key === active ? `tabpanel-${t.key}` : undefined}
            tabIndex={t.key === active ? 0 : -1}
            onClick={() => onChange(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="tabpanel"
        role="tabpanel"
        id={`tabpanel-${active}`}
        data-testid={`tabpanel-${active}`}
        aria-labelledby={`tab-${active}`}
        tabIndex={0}
      >
        {children}
      </div>
    </>
  );
}
