// The change events Rust's commands emit after their write, for the in-memory
// backend of the window's tests: each part of it names its writes in a table, and
// this one wrapper tells the listeners once a write succeeds, as the app hears them.
import type { ChangeKind } from "./backend";

export function emitAfterWrites<M extends object>(
  methods: M,
  emits: Partial<Record<keyof M, ChangeKind[]>>,
  emit: (kind: ChangeKind) => void,
): M {
  const m = methods as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const [name, kinds] of Object.entries(emits) as [string, ChangeKind[]][]) {
    const method = m[name];
    if (!method) throw new Error(`The emits table names ${name}, which the double lacks.`);
    m[name] = async (...args: unknown[]) => {
      const answer = await method(...args);
      kinds.forEach((k) => emit(k));
      return answer;
    };
  }
  return methods;
}
