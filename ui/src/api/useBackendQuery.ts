import { type DependencyList, useCallback, useEffect, useState } from "react";
import type { ApiError } from "../bindings/ApiError";
import { type Backend, type ChangeKind, toApiError } from "./backend";
import { useBackend } from "./context";

export interface Query<T> {
  /** The last answer; null until the first one arrives. */
  data: T | null;
  error: ApiError | null;
  /** Loads again (after this view's own write). */
  reload: () => void;
  /**
   * Changes the answer shown until the next load replaces it, for what the view
   * learned itself without asking again: an older page appended, its own note put
   * on top, an item its own write resolved taken out. Nothing happens before the
   * first answer.
   */
  update: (change: (data: T) => T) => void;
  /**
   * Shows what went wrong in the view's own action (a further page, a write) as
   * this query's error, until the next answer clears it: for views that show one
   * error line for loading and acting.
   */
  fail: (e: unknown) => void;
}

/**
 * What a view shows, loaded from the backend: again when `deps` change, when
 * Rust reports a change of one of `kinds` (a write here or by another process),
 * and on `reload()`. An answer that arrives after a newer load started is
 * dropped, so a slow old answer never replaces a newer one. The one place the
 * tabs' fetch, cancel and refetch bookkeeping lives.
 */
export function useBackendQuery<T>(
  load: (backend: Backend) => Promise<T>,
  deps: DependencyList,
  kinds: readonly ChangeKind[] = [],
): Query<T> {
  const backend = useBackend();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const kindKey = kinds.join(" ");

  useEffect(() => {
    const stops: (() => void)[] = [];
    let live = true;
    for (const kind of kindKey.split(" ").filter(Boolean) as ChangeKind[]) {
      // Listening is asynchronous: if the view unmounts first, stop as soon as it starts.
      backend
        .onChanged(kind, () => setVersion((v) => v + 1))
        .then((stop) => (live ? stops.push(stop) : stop()));
    }
    return () => {
      live = false;
      stops.forEach((stop) => stop());
    };
  }, [backend, kindKey]);

  useEffect(() => {
    let current = true;
    load(backend).then(
      (d) => current && (setData(d), setError(null)),
      (e) => current && setError(toApiError(e)),
    );
    return () => {
      current = false;
    };
    // `load` is a new function on every render; what it reads is in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, version, ...deps]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const update = useCallback(
    (change: (data: T) => T) => setData((d) => (d === null ? d : change(d))),
    [],
  );
  const fail = useCallback((e: unknown) => setError(toApiError(e)), []);
  return { data, error, reload, update, fail };
}
