import { openStore, type Store, type StoreOptions } from '../../shared/index.ts';

/** "Now" for widget fixtures: 2026-11-28 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 28, 12);

/** A store with `events` ingested and a fixed clock. */
export async function fixtureStore(events: Record<string, unknown>[], options: StoreOptions = {}): Promise<Store> {
  const store = await openStore({ now: () => NOW, ...options });
  const report = await store.ingest(events);
  if (report.rejected.length) throw new Error(`fixture rejected: ${JSON.stringify(report.rejected)}`);
  return store;
}

/** Resolves once a widget has left the loading state (after its latest query). */
export async function settled(element: HTMLElement): Promise<string> {
  const widget = element as unknown as { updateComplete: Promise<unknown>; status: string };
  for (let i = 0; i < 400; i++) {
    // Property changes start a new query in the update they cause: let it begin before looking.
    await widget.updateComplete;
    if (widget.status !== 'loading') {
      await widget.updateComplete;
      return widget.status;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${element.tagName} still loading`);
}

/** The rows of a widget's hidden data table, as text, header row first. */
export function tableText(element: HTMLElement): string[][] {
  const table = element.shadowRoot!.querySelector('table.visually-hidden');
  if (!table) return [];
  return [...table.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.trim()));
}

/** The `role="img"` label of a widget. */
export function imageLabel(element: HTMLElement): string | null {
  return element.shadowRoot!.querySelector('[role="img"]')?.getAttribute('aria-label') ?? null;
}
