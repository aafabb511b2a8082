import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { SecuritySettings } from "./components/SecuritySettings";

afterEach(() => localStorage.clear());

const CURRENT = "correct horse battery staple";

const byId = (id: string) => document.getElementById(id) as HTMLElement;

function show(passphraseProtected = true) {
  const backend = memoryBackend();
  render(
    <BackendContext.Provider value={backend}>
      <SecuritySettings passphraseProtected={passphraseProtected} />
    </BackendContext.Provider>,
  );
  return backend;
}

it("keeps the idle-lock time in the backend (Rust enforces it), not in the page", async () => {
  const user = userEvent.setup();
  const backend = show();
  const select = screen.getByLabelText("Lock the store after");
  await screen.findByDisplayValue("15 idle minutes");
  await user.selectOptions(select, "5");
  expect(await backend.idleLockGet()).toBe(5);
  expect(select).toHaveValue("5");
  expect(localStorage.length).toBe(0);
});

it("offers no fake lock for a keyring store, and says what protects it", () => {
  show(false);
  expect(screen.queryByLabelText("Lock the store after")).toBeNull();
  expect(screen.queryByLabelText("Current passphrase")).toBeNull();
  expect(screen.getByTestId("keyring-protection")).toHaveTextContent("desktop session");
});

it("asks for the current passphrase before changing it", async () => {
  const user = userEvent.setup();
  const backend = show();
  await user.type(byId("new-passphrase"), "orchard lantern velvet");
  await user.type(byId("confirm-passphrase"), "orchard lantern velvet");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByTestId("error-current")).toHaveTextContent("current passphrase");
  await user.type(byId("current-passphrase"), "not what unlocks it");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByTestId("error-current")).toHaveTextContent("not the store's current");
  await backend.storeLock();
  await expect(backend.storeUnlock(CURRENT)).resolves.toBeUndefined();
});

it("refuses differing or short passphrases beside the field, then sets one", async () => {
  const user = userEvent.setup();
  const backend = show();
  await user.type(byId("current-passphrase"), CURRENT);
  await user.type(byId("new-passphrase"), "orchard lantern velvet");
  await user.type(byId("confirm-passphrase"), "orchard lantern velvEt");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByTestId("error-confirm")).toHaveTextContent("differ");

  await user.clear(byId("new-passphrase"));
  await user.clear(byId("confirm-passphrase"));
  await user.type(byId("new-passphrase"), "short");
  await user.type(byId("confirm-passphrase"), "short");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByTestId("error-passphrase")).toHaveTextContent("at least 12");

  await user.clear(byId("new-passphrase"));
  await user.clear(byId("confirm-passphrase"));
  await user.type(byId("new-passphrase"), "orchard lantern velvet");
  await user.type(byId("confirm-passphrase"), "orchard lantern velvet");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  expect(await screen.findByRole("status")).toHaveTextContent("protected by the new passphrase");
  // The new passphrase is the one that unlocks now.
  await backend.storeLock();
  await expect(backend.storeUnlock("orchard lantern velvet")).resolves.toBeUndefined();
});
