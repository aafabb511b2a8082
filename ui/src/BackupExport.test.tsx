import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { EXPORT_FILES, EXPORT_INTO_FILLED_FOLDER } from "./bindings/rules";

const PASS = "correct horse battery staple";

async function open(backend = memoryBackend()) {
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-backup"));
  await screen.findByTestId("backup-export");
  return { backend, user };
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is not on the screen`);
  return el;
};

describe("backup & export", () => {
  it("refuses a short passphrase and mismatched passphrases beside their fields", async () => {
    const backend = memoryBackend();
    const create = vi.spyOn(backend, "backupCreate");
    const { user } = await open(backend);
    await user.click(screen.getByTestId("backup-choose"));
    await waitFor(() =>
      expect((byId("backup-path") as HTMLInputElement).value).toMatch(/\.mandate-backup$/),
    );

    await user.type(byId("backup-passphrase"), "too short");
    await user.type(byId("backup-confirm"), "too short");
    await user.click(byId("backup-create"));
    expect(await screen.findByTestId("error-passphrase")).toHaveTextContent("at least 12");
    expect(byId("backup-passphrase")).toHaveAttribute("aria-invalid", "true");

    await user.clear(byId("backup-passphrase"));
    await user.clear(byId("backup-confirm"));
    await user.type(byId("backup-passphrase"), PASS);
    await user.type(byId("backup-confirm"), `${PASS}!`);
    await user.click(byId("backup-create"));
    expect(await screen.findByTestId("error-confirm")).toHaveTextContent("differ");
    expect(byId("backup-confirm")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByTestId("error-passphrase")).toBeNull();
    expect(create).not.toHaveBeenCalled();
    expect(document.getElementById("backup-result")).toBeNull();
  });

  it("shows the backup's progress by phase, then the file, its size and checksum", async () => {
    const backend = memoryBackend();
    // Hold the backup after its last progress step, as a slow disk would.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const create = backend.backupCreate;
    backend.backupCreate = async (path, passphrase, onProgress) => {
      const made = await create(path, passphrase, onProgress);
      await gate;
      return made;
    };
    backend.dialog.picks.backup = "/home/test/Firm backups/firm.mandate-backup";
    const { user } = await open(backend);
    await user.click(screen.getByTestId("backup-choose"));
    await waitFor(() =>
      expect(byId("backup-path")).toHaveValue("/home/test/Firm backups/firm.mandate-backup"),
    );
    await user.type(byId("backup-passphrase"), PASS);
    await user.type(byId("backup-confirm"), PASS);
    await user.click(byId("backup-create"));

    await waitFor(() =>
      expect(screen.getByTestId("backup-progress-text")).toHaveTextContent(
        "Writing the backup file: 3.1 MB of 3.1 MB",
      ),
    );
    const bar = byId("backup-progress");
    expect(bar.tagName).toBe("PROGRESS");
    expect(bar).toHaveAttribute("value", bar.getAttribute("max"));
    expect(byId("backup-create")).toBeDisabled();
    expect(document.getElementById("backup-result")).toBeNull();

    await act(async () => release());
    const result = await screen.findByTestId("backup-result");
    expect(result).toHaveAttribute("id", "backup-result");
    expect(result).toHaveTextContent("/home/test/Firm backups/firm.mandate-backup");
    expect(result).toHaveTextContent("3.1 MB (3,146,240 bytes)");
    expect(within(result).getByTestId("backup-sha256")).toHaveTextContent(/^9f2c0{60}$/);
    expect(result).toHaveTextContent("encrypted");
    expect(result).toHaveTextContent("needs the backup passphrase");
    expect(within(result).getByTestId("backup-restore-command")).toHaveTextContent(
      "mandate --data-dir NEW_FOLDER backup restore '/home/test/Firm backups/firm.mandate-backup'",
    );
    // The passphrase does not stay on the screen.
    expect(byId("backup-passphrase")).toHaveValue("");
    expect(byId("backup-confirm")).toHaveValue("");
    expect(byId("backup-create")).toBeEnabled();
  });

  it("exports to a folder, lists the files written and warns they are not encrypted", async () => {
    const backend = memoryBackend();
    backend.dialog.picks.export = "/home/test/out";
    const { user } = await open(backend);
    expect(screen.getByTestId("export-warning")).toHaveTextContent("not encrypted");
    await user.selectOptions(byId("export-format"), "csv");
    await user.click(screen.getByTestId("export-choose"));
    await waitFor(() => expect(byId("export-path")).toHaveValue("/home/test/out"));
    await user.click(byId("export-run"));

    const result = await screen.findByTestId("export-records-result");
    expect(result).toHaveAttribute("id", "export-result");
    const files = within(result).getAllByTestId("export-file");
    // Every file Rust writes (generated from an export of a real store), in its order.
    expect(files.map((f) => f.textContent?.split(" — ")[0])).toEqual(
      EXPORT_FILES.map((k) => `/home/test/out/${k}.csv`),
    );
    const n = EXPORT_FILES.length;
    expect(screen.getByTestId("export-progress-text")).toHaveTextContent(
      `Wrote ${EXPORT_FILES[n - 1]}.csv: ${n} of ${n} files`,
    );
    expect(byId("export-progress")).toHaveAttribute("value", String(n));

    // The choice was good for that one export: another needs a new one.
    expect(byId("export-path")).toHaveValue("");
    await user.click(byId("export-run"));
    expect(await screen.findByTestId("error-export-path")).toHaveTextContent(
      "Use Choose… to pick a folder",
    );

    // The same folder now holds files: a second export there is refused beside the field.
    await user.click(screen.getByTestId("export-choose"));
    await waitFor(() => expect(byId("export-path")).toHaveValue("/home/test/out"));
    await user.click(byId("export-run"));
    expect(await screen.findByTestId("error-export-path")).toHaveTextContent(
      EXPORT_INTO_FILLED_FOLDER.message,
    );
    expect(screen.queryByTestId("export-records-result")).toBeNull();
  });

  it("writes only where the dialog answered: the path is shown, never typed", async () => {
    const backend = memoryBackend();
    const create = vi.spyOn(backend, "backupCreate");
    const { user } = await open(backend);
    const path = byId("backup-path") as HTMLInputElement;
    expect(path).toHaveAttribute("readonly");
    expect(path).toHaveValue("");

    await user.type(byId("backup-passphrase"), PASS);
    await user.type(byId("backup-confirm"), PASS);
    await user.click(byId("backup-create"));
    expect(await screen.findByTestId("error-backup-path")).toHaveTextContent(
      "Use Choose… to pick where",
    );
    expect(create).not.toHaveBeenCalled();

    // A cancelled dialog chooses nothing.
    backend.dialog.picks.backup = null;
    await user.click(screen.getByTestId("backup-choose"));
    expect(path).toHaveValue("");

    backend.dialog.picks.backup = "/home/test/a.mandate-backup";
    await user.click(screen.getByTestId("backup-choose"));
    await waitFor(() => expect(path).toHaveValue("/home/test/a.mandate-backup"));
    expect(screen.queryByTestId("error-backup-path")).toBeNull();
    await user.click(byId("backup-create"));
    await screen.findByTestId("backup-result");
    expect(create).toHaveBeenCalledTimes(1);
    // The window passed the dialog's token, not the path it shows (Rust accepts only
    // a token, once: src-tauri/src/chosen.rs tests that).
    const token = create.mock.calls[0]?.[0] ?? "";
    expect(token).not.toContain("/");
    expect(path).toHaveValue("");
  });
});

it("gives each passphrase error on the Backup & security screen its own id", async () => {
  const { user } = await open();
  await user.click(screen.getByTestId("backup-choose"));
  await waitFor(() =>
    expect((byId("backup-path") as HTMLInputElement).value).toMatch(/\.mandate-backup$/),
  );
  // The backup's passphrase and the store's new passphrase, both too short at once.
  await user.type(byId("backup-passphrase"), "too short");
  await user.type(byId("backup-confirm"), "too short");
  await user.click(byId("backup-create"));
  await user.type(byId("current-passphrase"), PASS);
  await user.type(byId("new-passphrase"), "short");
  await user.type(byId("confirm-passphrase"), "short");
  await user.click(screen.getByRole("button", { name: "Change passphrase" }));
  await waitFor(() => expect(screen.getAllByTestId("error-passphrase")).toHaveLength(2));

  const ids = Array.from(document.querySelectorAll("[id]"), (e) => e.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  // Each field points at its own error, inside its own form.
  for (const [input, form] of [
    ["backup-passphrase", "backup-form"],
    ["new-passphrase", "security-settings"],
  ] as const) {
    const field = byId(input);
    expect(field).toHaveAttribute("aria-invalid", "true");
    const described = byId(field.getAttribute("aria-describedby") ?? "");
    expect(screen.getByTestId(form)).toContainElement(described);
    expect(described).toHaveTextContent("at least 12");
    expect(field).toHaveAccessibleDescription(/at least 12/);
  }
});
