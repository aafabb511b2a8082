// The provider's diligence checklist and the re-review reminders: the factors and
// the review state come from Rust (set here as the double's answers); the screen
// shows what is open, records each factor with its evidence, and sends the whole
// checklist back in one update.
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import type { DiligenceFactor } from "./bindings/DiligenceFactor";
import type { DiligenceStatus } from "./bindings/DiligenceStatus";
import { DiligenceChecklist, ReviewsDue } from "./components/DiligenceChecklist";

const EDUCATION = "Education and qualifications of the people doing the work";
const SECURITY = "Background checks of staff; security of premises and systems";
const FACTORS: [DiligenceFactor, string][] = [
  ["education", EDUCATION],
  ["security", SECURITY],
];

function status(done: boolean[], review: DiligenceStatus["review"]): DiligenceStatus {
  return {
    factors: FACTORS.map(([factor, label], i) => ({
      factor,
      label,
      source: "Model Rule 5.3 comment 3",
      hint: "e.g. a certificate",
      done: done[i] ?? false,
      evidence: done[i] ? "file DD-1" : null,
    })),
    others: [{ item: "Site visit", done: true, evidence: "2026-10-01" }],
    open: done.filter((d) => !d).length,
    review_on: "2026-11-20",
    review,
  };
}

it("shows what is open and the late review, and records a factor with its evidence", async () => {
  const backend = memoryBackend();
  const p = await backend.providerCreate({ legal_name: "Lexwell Review Ltd", countries: ["IN"] });
  backend.exchange.diligence.set(p.id, status([true, false], { state: "due", days: 7 }));
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <DiligenceChecklist providerId={p.id} />
    </BackendContext.Provider>,
  );
  const factors = await screen.findAllByTestId("diligence-factor");
  expect(factors.map((f) => f.getAttribute("data-done"))).toEqual(["true", "false"]);
  expect(factors[1]).toHaveTextContent("Open — e.g. a certificate");
  expect(screen.getByTestId("diligence-review")).toHaveTextContent(
    "was due on 2026-11-20 (7 days ago)",
  );
  expect(screen.getByTestId("diligence")).toHaveTextContent("1 open");

  await user.click(screen.getByRole("button", { name: "Record diligence" }));
  await user.click(screen.getByLabelText(SECURITY));
  await user.type(
    screen.getByLabelText(`What shows "${SECURITY}" was checked`),
    "ISO 27001 certificate",
  );
  await user.type(screen.getByLabelText("Add a check of the firm's own"), "Reference call");
  await user.click(screen.getByRole("button", { name: "Save checklist" }));
  await screen.findByRole("button", { name: "Record diligence" });
  const saved = await backend.providerGet(p.id);
  expect(saved.diligence).toEqual([
    { item: EDUCATION, factor: "education", done: true, evidence: "file DD-1" },
    { item: SECURITY, factor: "security", done: true, evidence: "ISO 27001 certificate" },
    { item: "Site visit", done: true, evidence: "2026-10-01" },
    { item: "Reference call", done: false },
  ]);
});

it("lists the providers due for review, each opening its file", async () => {
  const backend = memoryBackend();
  backend.exchange.reviewsDue.push(
    {
      provider_id: "p-late",
      legal_name: "Late Review Ltd",
      review_on: "2026-11-20",
      review: { state: "due", days: 7 },
    },
    {
      provider_id: "p-soon",
      legal_name: "Soon Review Ltd",
      review_on: "2026-12-01",
      review: { state: "soon", days: 4 },
    },
  );
  const opened: string[] = [];
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <ReviewsDue onOpen={(id) => opened.push(id)} />
    </BackendContext.Provider>,
  );
  const banner = await screen.findByTestId("reviews-due");
  expect(banner).toHaveTextContent("2 providers' diligence reviews are due");
  expect(banner).toHaveTextContent("due on 2026-12-01, in 4 days");
  await user.click(within(banner).getByRole("button", { name: "Late Review Ltd" }));
  expect(opened).toEqual(["p-late"]);
});
