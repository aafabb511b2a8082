import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { DEADLINE_EXAMPLES } from "./bindings/rules";

async function setup() {
  const backend = memoryBackend([], "2026-11-27");
  const matter = await backend.matterCreate({
    number: "2026-0142",
    title: "Acme v. Widget",
    client_name: "Acme",
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  return { backend, user, matterId: matter.id };
}

describe("deadlines", () => {
  it("adds a rule-based deadline from a matter and shows it with its explanation", async () => {
    const { backend, user } = await setup();
    await user.click(await screen.findByTestId("matter-row"));
    await user.click(await screen.findByTestId("tab-deadlines"));
    await user.click(await screen.findByTestId("add-deadline"));
    const form = await screen.findByTestId("deadline-form");
    await vi.waitFor(() => expect(within(form).getByTestId("field-rule")).toHaveValue("answer"));
    await user.type(within(form).getByTestId("field-trigger"), "2026-11-20");
    await user.click(within(form).getByTestId("save-deadline"));

    const detail = await screen.findByTestId("deadline-detail");
    expect(within(detail).getByTestId("deadline-title")).toHaveTextContent("Answer to complaint");
    // The explanation Rust wrote for this rule and trigger, step by step.
    const steps = within(detail).getByTestId("deadline-steps");
    expect(steps).toHaveTextContent("Counted 21 calendar days after");
    const computed = DEADLINE_EXAMPLES.find(
      (e) => e.rule_id === "answer" && e.trigger === "2026-11-20",
    );
    for (const step of computed?.steps ?? []) expect(steps).toHaveTextContent(step.text);
    expect(backend.deadlines).toHaveLength(1);

    await user.click(screen.getByTestId("nav-deadlines"));
    const bucket = await screen.findByTestId("bucket-next_30_days");
    expect(await within(bucket).findByText("Answer to complaint")).toBeInTheDocument();
  });

  it("shows a missing trigger beside its field", async () => {
    const { user } = await setup();
    await user.click(await screen.findByTestId("matter-row"));
    await user.click(await screen.findByTestId("tab-deadlines"));
    await user.click(await screen.findByTestId("add-deadline"));
    const form = await screen.findByTestId("deadline-form");
    await vi.waitFor(() => expect(within(form).getByTestId("field-rule")).toHaveValue("answer"));
    await user.click(within(form).getByTestId("save-deadline"));
    expect(await screen.findByTestId("error-trigger")).toHaveTextContent("triggering event");
  });

  it("marks a deadline done and it leaves the dashboard", async () => {
    const { backend, user, matterId } = await setup();
    const [d] = await backend.deadlineCreate({
      matter_id: matterId,
      title: "File reply",
      due_date: "2026-11-27",
    });
    await user.click(await screen.findByTestId("nav-deadlines"));
    const today = await screen.findByTestId("bucket-due_today");
    await user.click(await within(today).findByText("File reply"));
    await user.click(await screen.findByTestId("toggle-done"));
    await vi.waitFor(() => expect(screen.getByTestId("deadline-status")).toHaveTextContent("done"));
    await vi.waitFor(() =>
      expect(within(screen.getByTestId("bucket-due_today")).queryByText("File reply")).toBeNull(),
    );
    expect(backend.deadlines.find((x) => x.id === d?.id)?.status).toBe("done");
  });

  it("exports to the file chosen in the dialog, once per choice", async () => {
    const { backend, user } = await setup();
    backend.dialog.picks.calendar = "/tmp/out.ics";
    await user.click(await screen.findByTestId("nav-deadlines"));
    await user.click(await screen.findByTestId("export-deadlines"));
    const path = await screen.findByTestId("export-path");
    expect(path).toHaveAttribute("readonly");
    await user.click(screen.getByTestId("deadline-export-choose"));
    // Rust adds the extension a dialog dropped.
    await vi.waitFor(() => expect(path).toHaveValue("/tmp/out.ics"));
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("export-result")).toHaveTextContent("/tmp/out.ics");
    expect(backend.exported).toEqual(["/tmp/out.ics"]);
    // Used up: a second export asks for a new choice.
    expect(path).toHaveValue("");
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("deadline-export-path-error")).toHaveTextContent("Choose");
    expect(path).toHaveAttribute("aria-invalid", "true");
    expect(backend.exported).toHaveLength(1);
  });

  it("shows the month with today's deadlines", async () => {
    const { backend, user, matterId } = await setup();
    await backend.deadlineCreate({
      matter_id: matterId,
      title: "Hearing",
      due_date: "2026-11-30",
    });
    await user.click(await screen.findByTestId("nav-deadlines"));
    await user.click(await screen.findByTestId("tab-deadlines-month"));
    expect(await screen.findByTestId("month-title")).toHaveTextContent(/November 2026/);
    const cell = document.querySelector('[data-day="2026-11-30"]') as HTMLElement;
    expect(within(cell).getByTestId("month-chip")).toHaveTextContent("Hearing");
  });

  it("saves the firm's buffer and reminder settings", async () => {
    const { backend, user } = await setup();
    await user.click(await screen.findByTestId("nav-deadlines"));
    await user.click(await screen.findByTestId("deadline-settings-open"));
    const buffer = await screen.findByTestId("field-buffer");
    await vi.waitFor(() => expect(buffer).toHaveValue(3));
    await user.clear(buffer);
    await user.type(buffer, "5");
    const reminders = screen.getByTestId("field-reminders");
    await user.clear(reminders);
    await user.type(reminders, "14, 2, 0.5");
    await user.click(screen.getByTestId("save-settings"));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(await backend.deadlineSettingsGet()).toEqual({
      vendor_buffer_court_days: 5,
      default_reminders: [20160, 2880, 720],
      notification_titles: false,
    });
  });

  it("leaves matter and deadline names out of notifications unless asked to show them", async () => {
    const { backend, user } = await setup();
    await user.click(await screen.findByTestId("nav-deadlines"));
    await user.click(await screen.findByTestId("deadline-settings-open"));
    const titles = await screen.findByRole("checkbox", {
      name: "Name the matter and the deadline in desktop notifications",
    });
    await vi.waitFor(() => expect(screen.getByTestId("field-buffer")).toHaveValue(3));
    expect(titles).not.toBeChecked();
    expect(titles).toHaveAccessibleDescription(/locked screen/);
    await user.click(titles);
    await user.click(screen.getByTestId("save-settings"));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect((await backend.deadlineSettingsGet()).notification_titles).toBe(true);
    // Saved: Escape closes the settings without asking.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("deadline-settings")).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("shows its two views as tabs, each controlling its own panel", async () => {
    const { user } = await setup();
    await user.click(await screen.findByTestId("nav-deadlines"));
    const tablist = await screen.findByRole("tablist", { name: "Deadline views" });
    const tabs = within(tablist).getAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(["Due soon", "Month"]);
    const check = (selected: HTMLElement) => {
      const panel = screen.getByRole("tabpanel");
      expect(selected).toHaveAttribute("aria-selected", "true");
      expect(selected).toHaveAttribute("aria-controls", panel.id);
      expect(panel).toHaveAttribute("aria-labelledby", selected.id);
      expect(panel).toHaveAccessibleName(selected.textContent ?? "");
    };
    await screen.findByTestId("bucket-overdue");
    check(tabs[0] as HTMLElement);
    expect(screen.getByRole("tabpanel")).toContainElement(screen.getByTestId("bucket-overdue"));
    // One Tab stop; the arrows move between the views.
    expect(tabs[1]).toHaveAttribute("tabindex", "-1");
    (tabs[0] as HTMLElement).focus();
    await user.keyboard("{ArrowRight}");
    expect(tabs[1]).toHaveFocus();
    check(tabs[1] as HTMLElement);
    expect(screen.getByRole("tabpanel")).toContainElement(await screen.findByTestId("month-title"));
  });

  it("shows reminders as one line with their count, which opens the list", async () => {
    const { backend, user, matterId } = await setup();
    for (let i = 1; i <= 5; i++) {
      const [d] = await backend.deadlineCreate({
        matter_id: matterId,
        title: `A rather long deadline title number ${i} for the banner`,
        due_date: "2026-11-27",
      });
      if (d) backend.reminders.push({ deadline: d, lead_minutes: 0, missed: false });
    }
    await user.click(await screen.findByTestId("matter-row"));
    await screen.findByTestId("detail-title");
    const banner = await screen.findByTestId("reminders");
    const toggle = within(banner).getByRole("button", { name: "5 deadline reminders" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(within(banner).queryByText(/rather long deadline title/)).toBeNull();
    expect(within(banner).getAllByRole("button")).toHaveLength(2); // the count and dismiss

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const list = screen.getByTestId("reminder-list");
    expect(toggle).toHaveAttribute("aria-controls", list.id);
    const items = within(list).getAllByTestId("reminder");
    expect(items).toHaveLength(5);
    expect(items[0]).toHaveTextContent("2026-0142: A rather long deadline title number 1");
    expect(items[0]).toHaveTextContent("due today");
    await user.click(items[2] as HTMLElement);
    expect(await screen.findByTestId("deadline-title")).toHaveTextContent("number 3");

    await user.click(within(banner).getByRole("button", { name: "Dismiss reminders" }));
    expect(screen.queryByTestId("reminders")).toBeNull();
    expect(backend.reminders).toHaveLength(0);
  });

  it("exports one matter's deadlines from the matter", async () => {
    const { backend, user, matterId } = await setup();
    await backend.deadlineCreate({ matter_id: matterId, title: "Hearing", due_date: "2026-11-30" });
    const exported: unknown[] = [];
    const original = backend.deadlineExport;
    backend.deadlineExport = async (target, filter, priv) => {
      exported.push(filter);
      return original(target, filter, priv);
    };
    await user.click(await screen.findByTestId("matter-row"));
    await user.click(await screen.findByTestId("tab-deadlines"));
    await user.click(await screen.findByTestId("export-matter-deadlines"));
    expect(await screen.findByText("Export 2026-0142 to calendar")).toBeInTheDocument();
    expect(screen.getByTestId("export-path")).toHaveValue("");
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("deadline-export-path-error")).toHaveTextContent(
      "Use Choose…",
    );
    expect(exported).toEqual([]);
    await user.click(screen.getByTestId("deadline-export-choose"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("export-path")).toHaveValue(
        "/home/test/Documents/mandate-deadlines.ics",
      ),
    );
    await user.click(screen.getByTestId("export-save"));
    expect(await screen.findByTestId("export-result")).toHaveTextContent(
      "to /home/test/Documents/mandate-deadlines.ics",
    );
    expect(exported).toEqual([{ matter_id: matterId }]);
  });
});

it("lists the deadlines counted with a calendar that changed since, and recomputes one", async () => {
  const backend = memoryBackend();
  backend.calendarChanges.push({
    deadline_id: "d-1",
    matter_number: "2026-0142",
    title: "Opposition",
    due_date: "2026-06-15",
    calendar: "sdny-closures",
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-deadlines"));
  const banner = await screen.findByTestId("calendar-changes");
  expect(banner).toHaveTextContent(
    "1 deadline was counted with a holiday calendar that has changed",
  );
  expect(banner).toHaveTextContent("2026-0142: Opposition, due 2026-06-15 (sdny-closures)");
  await user.click(within(banner).getByRole("button", { name: "Recompute 2026-0142: Opposition" }));
  expect(backend.recomputed).toEqual(["d-1"]);
  expect(screen.queryByTestId("calendar-changes")).toBeNull();
});

it("says what a recompute moved, old date to new, or that nothing moved", async () => {
  const backend = memoryBackend();
  backend.calendarChanges.push(
    {
      deadline_id: "d-1",
      matter_number: "2026-0142",
      title: "Opposition",
      due_date: "2026-06-15",
      calendar: "sdny-closures",
    },
    {
      deadline_id: "d-2",
      matter_number: "2026-0142",
      title: "Reply",
      due_date: "2026-06-22",
      calendar: "sdny-closures",
    },
  );
  // What Rust answers: the deadline and those made with it whose due date moved.
  vi.spyOn(backend, "deadlineRecompute")
    .mockResolvedValueOnce([
      { id: "d-1", title: "Opposition", old_due: "2026-06-15", new_due: "2026-06-16" },
      { id: "d-9", title: "Vendor production", old_due: "2026-06-10", new_due: "2026-06-11" },
    ])
    .mockResolvedValueOnce([]);
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-deadlines"));
  const banner = await screen.findByTestId("calendar-changes");
  await user.click(within(banner).getByRole("button", { name: "Recompute 2026-0142: Opposition" }));
  const result = await screen.findByTestId("recompute-result");
  expect(result).toHaveAttribute("role", "status");
  expect(result).toHaveTextContent("Recomputed 2026-0142: Opposition.");
  expect(result).toHaveTextContent("Opposition 2026-06-15 → 2026-06-16");
  expect(result).toHaveTextContent("Vendor production 2026-06-10 → 2026-06-11");

  await user.click(screen.getByRole("button", { name: "Recompute 2026-0142: Reply" }));
  await vi.waitFor(() =>
    expect(screen.getByTestId("recompute-result")).toHaveTextContent(
      "Recomputed 2026-0142: Reply. Nothing moved.",
    ),
  );
  // The last one recomputed: the banner goes, what it did stays.
  expect(screen.queryByTestId("calendar-changes")).toBeNull();
});
