// The passphrase length the window checks comes from Rust (MIN_PASSPHRASE_CHARS in
// crates/store/src/unlock.rs, generated into src/bindings/constants.ts and kept
// current by a Rust test), not from a number typed again here: change the
// generated value and the screens follow.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { newPassphraseError } from "./components/formBits";

vi.mock("./bindings/constants", () => ({ MIN_PASSPHRASE_CHARS: 20 }));

it("checks new passphrases against the store's rule as generated from Rust", async () => {
  expect(newPassphraseError("fifteen chars!!", "fifteen chars!!")?.message).toMatch(
    "at least 20 characters",
  );
  expect(newPassphraseError("twenty characters ok", "twenty characters ok")).toBeNull();

  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={memoryBackend()}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-backup"));
  expect(await screen.findByTestId("backup-export")).toHaveTextContent("At least 20 characters");
  const pass = document.getElementById("backup-passphrase") as HTMLElement;
  await user.click(screen.getByTestId("backup-choose"));
  await waitFor(() =>
    expect((document.getElementById("backup-path") as HTMLInputElement).value).not.toBe(""),
  );
  await user.type(pass, "fifteen chars!!");
  await user.type(document.getElementById("backup-confirm") as HTMLElement, "fifteen chars!!");
  await user.click(document.getElementById("backup-create") as HTMLElement);
  expect(await screen.findByTestId("error-passphrase")).toHaveTextContent("at least 20");
});
