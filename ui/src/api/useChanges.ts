import { useEffect, useState } from "react";
import type { Backend } from "./backend";
import { useBackend } from "./context";

type Kind = "matter" | "deadline" | "provider" | "document";

const subscribe: Record<Kind, (b: Backend, onChange: () => void) => Promise<() => void>> = {
  matter: (b, f) => b.onMatterChanged(() => f()),
  deadline: (b, f) => b.onDeadlineChanged(f),
  provider: (b, f) => b.onProviderChanged(f),
  document: (b, f) => b.onDocumentChanged(f),
};

/**
 * A number that rises each time the backend reports a change of `kind`. Put it in
 * a fetching effect's dependencies and the view refetches: Rust owns the data, the
 * window keeps no copy of its own.
 */
export function useChanges(kind: Kind): number {
  const backend = useBackend();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    // Listening is asynchronous: if the view unmounts first, stop as soon as it starts.
    subscribe[kind](backend, () => setVersion((v) => v + 1)).then((unlisten) =>
      live ? (stop = unlisten) : unlisten(),
    );
    return () => {
      live = false;
      stop?.();
    };
  }, [backend, kind]);
  return version;
}
