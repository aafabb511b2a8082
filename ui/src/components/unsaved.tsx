// Unsaved input in the side panel. Forms in the panel report edits with
// `useUnsaved`; Escape closes the panel at once only when nothing is unsaved, and
// otherwise asks first, inside the window (`DiscardConfirm`).
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";

/** The forms of the panel that hold edits not yet saved. */
export class UnsavedEdits {
  private readonly holders = new Set<symbol>();
  add(holder: symbol) {
    this.holders.add(holder);
  }
  remove(holder: symbol) {
    this.holders.delete(holder);
  }
  get any(): boolean {
    return this.holders.size > 0;
  }
}

export const UnsavedContext = createContext<UnsavedEdits | null>(null);

/**
 * For a form in the side panel: `edited` marks it as holding unsaved input (call it
 * from the form's `onChange`, which every input inside reaches), `saved` clears the
 * mark when the form stays open after saving. A form that closes clears it too.
 */
export function useUnsaved(): { edited: () => void; saved: () => void } {
  const edits = useContext(UnsavedContext);
  const [holder] = useState(() => Symbol("form"));
  useEffect(() => () => edits?.remove(holder), [edits, holder]);
  const edited = useCallback(() => edits?.add(holder), [edits, holder]);
  const saved = useCallback(() => edits?.remove(holder), [edits, holder]);
  return { edited, saved };
}

/** The side panel (`section`, "Details"), whose forms report unsaved input to `edits`. */
export function SidePanel({
  className,
  edits,
  children,
}: {
  className: string;
  edits: UnsavedEdits;
  children: ReactNode;
}) {
  return (
    <UnsavedContext.Provider value={edits}>
      <section className={className} aria-label="Details">
        {children}
      </section>
    </UnsavedContext.Provider>
  );
}

/** For input that is unsaved exactly while `dirty` holds (e.g. a message typed, not sent). */
export function useUnsavedWhen(dirty: boolean) {
  const edits = useContext(UnsavedContext);
  const [holder] = useState(() => Symbol("input"));
  useEffect(() => {
    if (!dirty || !edits) return;
    edits.add(holder);
    return () => edits.remove(holder);
  }, [dirty, edits, holder]);
}

/**
 * Asks before the panel's unsaved input is thrown away: a modal dialog inside the
 * window. Focus starts on "Keep editing" and stays in the dialog; Escape or a click
 * outside keeps editing too, and focus goes back where it was.
 */
export function DiscardConfirm({
  onKeep,
  onDiscard,
}: {
  onKeep: () => void;
  onDiscard: () => void;
}) {
  const keepRef = useRef<HTMLButtonElement>(null);
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    keepRef.current?.focus();
  }, []);
  const keep = () => {
    onKeep();
    returnTo?.focus();
  };
  return (
    <div className="modal-backdrop" onClick={keep}>
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="discard-title"
        aria-describedby="discard-text"
        data-testid="discard-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            // Not also the window's Escape, which would ask again.
            e.stopPropagation();
            keep();
          } else if (e.key === "Tab") {
            // Tab and Shift+Tab go round the two buttons and stay in the dialog.
            e.preventDefault();
            const buttons = Array.from(e.currentTarget.querySelectorAll("button"));
            const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
            const step = e.shiftKey ? buttons.length - 1 : 1;
            buttons[(Math.max(i, 0) + step) % buttons.length]?.focus();
          }
        }}
      >
        <h2 id="discard-title">Discard unsaved changes?</h2>
        <p id="discard-text">
          What you typed in the panel has not been saved. Leaving or closing the panel throws that
          away.
        </p>
        <div className="actions">
          <button ref={keepRef} id="discard-keep" data-testid="discard-keep" onClick={keep}>
            Keep editing
          </button>
          <button
            className="danger"
            id="discard-changes"
            data-testid="discard-changes"
            onClick={onDiscard}
          >
            Discard
          </button>
        </div>
      </div>
    </div>
  );
}
