import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { SecuritySettings } from "./components/SecuritySettings";
import { IDLE_LOCK_EVENT, IDLE_LOCK_KEY, idleLockMinutes } from "./preferences";

afterEach(() => localStorage.clear());

const byId = (id: string) => document.getElementById(id) as HTMLElement;

function show() {
  const backend = memoryBackend();
  render(
    <BackendContext.Provider value={backend}>
      <SecuritySettings />
    </BackendContext.Provider>,
  );
  return backend;
}

it("changes the idle-lock time and tells the running timer", async () => {
  const user = userEvent.setup();
  show();
  let told = 0;
  window.addEventListener(IDLE_LOCK_EVENT, () => told++);
  expect(idleLockMinutes()).toBe(15);
  await user.selectOptions(screen.getByLabelText("Lock the store after"), "5");
  expect(localStorage.getItem(IDLE_LOCK_KEY)).toBe("5");
  expect(idleLockMinutes()).toBe(5);
  expect(told).toBe(1);
});

it("refuses differing or short passphrases beside the field, then sets one", async () => {
  const user = userEvent.setup();
  const backend = show();
  await user.type(byId("new-passphrase"), "orchard lantern velvet");
  await user.type(byId("confirm-passphrase"), "orchard lantern velvEt");
  await user.click(screen.getByRole("button", { name: "Set passphrase" }));
  expect(await screen.findByTestId("error-confirm")).toHaveTextContent("differ");

  await user.clear(byId("new-passphrase"));
  await user.clear(byId("confirm-passphrase"));
  await user.type(byId("new-passphrase"), "short");
  await user.type(byId("confirm-passphrase"), "short");
  await user.click(screen.getByRole("button", { name: "Set passphrase" }));
  expect(await screen.findByTestId("error-passphrase")).toHaveTextContent("at least 12");

  await user.clear(byId("new-passphrase"));
  await user.clear(byId("confirm-passphrase"));
  await user.type(byId("new-passphrase"), "orchard lantern velvet");
  await user.type(byId("confirm-passphrase"), "orchard lantern velvet");
  await user.click(screen.getByRole("button", { name: "Set passphrase" }));
  expect(await screen.findByRole("status")).toHaveTextContent("protected by the new passphrase");
  // The new passphrase is the one that unlocks now.
  await backend.storeLock();
  await expect(backend.storeUnlock("orchard lantern velvet")).resolves.toBeUndefined();
});
