import { expect, it } from "vitest";
import { allProviders } from "./api/allProviders";
import type { Backend } from "./api/backend";
import type { Provider } from "./bindings/Provider";
import type { ProviderFilter } from "./bindings/ProviderFilter";

it("pages through every provider, however many the firm has", async () => {
  const all = Array.from({ length: 2500 }, (_, i) => ({ id: `p${i}` }) as Provider);
  const asked: ProviderFilter[] = [];
  const backend = {
    providerList: async (f: ProviderFilter) => {
      asked.push(f);
      const from = f.offset ?? 0;
      // Like the store: at most 1,000 a page.
      return { items: all.slice(from, from + Math.min(f.limit ?? 200, 1000)), total: all.length };
    },
  } as unknown as Backend;
  const got = await allProviders(backend);
  expect(got.map((p) => p.id)).toEqual(all.map((p) => p.id));
  expect(asked.map((f) => f.offset)).toEqual([0, 1000, 2000]);
});
