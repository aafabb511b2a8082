import { useEffect, useState } from "react";
import type { ChangeKind } from "./backend";
import { useBackend } from "./context";

/**
 * A number that rises each time the backend reports a change of `kind`. Put it in
 * a fetching effect's dependencies and the view refetches: Rust owns the data, the
 * window keeps no copy of its own. Changes made by another process (the `mandate`
 * command) arrive the same way: Rust watches the store and emits every kind.
 */
export function useChanges(kind: ChangeKind): number {
  const backend = useBackend();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    // Listening is asynchronous: if the view unmounts first, stop as soon as it starts.
    backend
      .onChanged(kind, () => setVersion((v) => v + 1))
      .then((unlisten) => (live ? (stop = unlisten) : unlisten()));
    return () => {
      live = false;
      stop?.();
    };
  }, [backend, kind]);
  return version;
}
