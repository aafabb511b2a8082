// Display preferences of this window, kept in localStorage: they hold no client
// data, so they do not belong in the encrypted store.

/** Minutes of inactivity before the store locks; 0 turns it off. */
export const IDLE_LOCK_KEY = "mandate.idleLockMinutes";
/** Dispatched on window when the setting changes, so the timer restarts with it. */
export const IDLE_LOCK_EVENT = "mandate:idle-lock";
export const IDLE_LOCK_DEFAULT = 15;

export function idleLockMinutes(): number {
  const v = Number(localStorage.getItem(IDLE_LOCK_KEY) ?? IDLE_LOCK_DEFAULT);
  return Number.isFinite(v) && v >= 0 ? v : IDLE_LOCK_DEFAULT;
}

export function setIdleLockMinutes(minutes: number): void {
  localStorage.setItem(IDLE_LOCK_KEY, String(minutes));
  window.dispatchEvent(new Event(IDLE_LOCK_EVENT));
}
