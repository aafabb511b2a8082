import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { useBackendQuery } from "./api/useBackendQuery";

function wrapper(backend: ReturnType<typeof memoryBackend>) {
  return ({ children }: { children: ReactNode }) => (
    <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>
  );
}

it("loads again on its change kinds and on reload, and never lets an old answer win", async () => {
  const backend = memoryBackend();
  const answers: ((v: string) => void)[] = [];
  let calls = 0;
  const { result, rerender } = renderHook(
    ({ id }: { id: string }) =>
      useBackendQuery(
        () => {
          calls++;
          return new Promise<string>((ok) => answers.push((v) => ok(`${id}:${v}`)));
        },
        [id],
        ["consent"],
      ),
    { wrapper: wrapper(backend), initialProps: { id: "a" } },
  );
  expect(calls).toBe(1);
  // A new id starts a newer load; the old one's late answer is dropped.
  rerender({ id: "b" });
  expect(calls).toBe(2);
  await act(async () => answers[1]?.("new"));
  await act(async () => answers[0]?.("old"));
  expect(result.current.data).toBe("b:new");

  await act(async () => backend.emitChange("consent"));
  expect(calls).toBe(3);
  // Not one of its kinds.
  await act(async () => backend.emitChange("message"));
  expect(calls).toBe(3);
  await act(async () => result.current.reload());
  expect(calls).toBe(4);
});
