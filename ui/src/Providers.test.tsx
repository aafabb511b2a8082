import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";

it("adds a provider with its agreements and opens its file", async () => {
  const backend = memoryBackend();
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-providers"));
  expect(await screen.findByTestId("providers-empty")).toBeInTheDocument();
  await user.click(screen.getByTestId("new-provider"));
  const form = await screen.findByTestId("provider-form");
  await user.type(within(form).getByTestId("field-legal_name"), "Lexbridge Services Pvt Ltd");
  await user.type(within(form).getByTestId("field-countries"), "india");
  await user.click(within(form).getByTestId("save-provider"));
  expect(await screen.findByTestId("error-countries")).toHaveTextContent("use two letters");

  await user.clear(within(form).getByTestId("field-countries"));
  await user.type(within(form).getByTestId("field-countries"), "in, ph");
  await user.type(within(form).getByTestId("field-nda"), "2026-01-15");
  await user.click(within(form).getByTestId("save-provider"));
  const file = await screen.findByTestId("provider-file");
  expect(within(file).getByTestId("provider-name")).toHaveTextContent("Lexbridge");
  expect(file).toHaveTextContent("IN, PH");
  expect(file).toHaveTextContent("On file, signed 2026-01-15");
  const rows = await screen.findAllByTestId("provider-row");
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveTextContent("NDA");
  await expect(backend.providerList({}).then((p) => p.total)).resolves.toBe(1);
});
