import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { MatterDocuments } from "./components/MatterDocuments";

async function withMatter() {
  const backend = memoryBackend();
  const m = await backend.matterCreate({
    number: "2026-010",
    title: "Harbor Lease",
    client_name: "Pier 9 LLC",
  });
  return { backend, m };
}

function file(name: string, text: string): File {
  // jsdom's File lacks arrayBuffer(); the window's has it.
  const f = new File([text], name, { type: "text/plain" });
  Object.defineProperty(f, "arrayBuffer", {
    value: async () => new TextEncoder().encode(text).buffer,
  });
  return f;
}

it("adds a file, shows its text, adds a version and records reviews", async () => {
  const { backend, m } = await withMatter();
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <MatterDocuments matterId={m.id} />
    </BackendContext.Provider>,
  );
  expect(await screen.findByText(/No documents yet/)).toBeInTheDocument();
  expect(screen.getByTestId("disclosures-empty")).toBeInTheDocument();

  await user.upload(
    document.getElementById("document-file") as HTMLInputElement,
    file("Rent schedule.txt", "Base rent escalates 3% yearly"),
  );
  const list = await screen.findByTestId("document-list");
  expect(list).toHaveTextContent("Rent schedule");
  expect(list).toHaveTextContent("v1 · Rent schedule.txt");
  expect(list).toHaveTextContent("searchable");
  // The new document opens, showing its text.
  expect(await screen.findByTestId("document-text")).toHaveTextContent("escalates 3%");

  await user.upload(
    document.getElementById("document-version-file") as HTMLInputElement,
    file("Rent schedule v2.txt", "Base rent escalates 4% yearly"),
  );
  await waitFor(() => expect(screen.getByTestId("document-list")).toHaveTextContent("v2"));
  await waitFor(() => expect(screen.getByTestId("document-text")).toHaveTextContent("4% yearly"));
  expect(backend.documents).toHaveLength(1);

  // Asking for changes without notes is refused beside the notes field.
  await user.click(screen.getByLabelText("Request changes"));
  await user.click(screen.getByRole("button", { name: "Record review" }));
  expect(await screen.findByTestId("error-notes")).toHaveTextContent("Say what needs to change");
  await user.type(document.getElementById("review-notes") as HTMLElement, "Use the 2025 index.");
  await user.click(screen.getByRole("button", { name: "Record review" }));
  const reviews = await screen.findByTestId("review-list");
  expect(reviews).toHaveTextContent("Changes requested");
  expect(reviews).toHaveTextContent("Use the 2025 index.");

  // An older version can be read again.
  const select = document.getElementById("document-version") as HTMLSelectElement;
  await waitFor(() => expect(select.options).toHaveLength(2));
  await user.selectOptions(select, within(select).getByText(/^v1/));
  await waitFor(() => expect(screen.getByTestId("document-text")).toHaveTextContent("3% yearly"));

  await user.click(screen.getByTestId("document-save-copy"));
  expect(await screen.findByRole("status")).toHaveTextContent("not encrypted");
  expect(backend.saved).toHaveLength(1);
});

it("says why an empty file was refused and keeps the list as it was", async () => {
  const { backend, m } = await withMatter();
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <MatterDocuments matterId={m.id} />
    </BackendContext.Provider>,
  );
  await screen.findByText(/No documents yet/);
  // An empty file Rust refused (bindings/rules.ts REFUSALS).
  await user.upload(
    document.getElementById("document-file") as HTMLInputElement,
    file("blank.txt", ""),
  );
  expect(await screen.findByRole("alert")).toHaveTextContent("is empty");
  expect(screen.getByText(/No documents yet/)).toBeInTheDocument();
});
