import type { Provider } from "../bindings/Provider";
import type { Backend } from "./backend";

/** The store returns at most this many providers a page. */
const PAGE = 1000;

/**
 * Every provider, page by page: the pickers on the matter page and the list's
 * provider filter must offer all of them, however many the firm has.
 */
export async function allProviders(backend: Backend): Promise<Provider[]> {
  const out: Provider[] = [];
  for (;;) {
    const page = await backend.providerList({ limit: PAGE, offset: out.length });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total) return out;
  }
}
