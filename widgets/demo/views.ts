/**
 * The panel's views as a tab list (WAI-ARIA tabs with automatic activation):
 * each tab is a link to `#<view>`, so the URL says which view is shown, a
 * reload or a shared link opens it, and Back goes to the view before. Arrow
 * keys, Home and End move between tabs.
 */

/** One view: its tab (an `<a role="tab" href="#name">`) and its panel. */
interface View {
  name: string;
  tab: HTMLAnchorElement;
  panel: HTMLElement;
}

/**
 * Wires the tabs of `tablist` to their panels (`aria-controls`) and shows
 * the view the URL's hash names, else the first. `onShow` hears each view
 * shown, the first one included.
 */
export function startViews(tablist: HTMLElement, onShow: (name: string) => void): { show(name: string): void } {
  const views: View[] = [...tablist.querySelectorAll<HTMLAnchorElement>('[role="tab"]')].map((tab) => {
    const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
    if (!panel) throw new Error(`the tab "${tab.textContent?.trim()}" controls no panel: set aria-controls to its panel's id`);
    return { name: new URL(tab.href).hash.slice(1), tab, panel };
  });
  let shown: string | undefined;

  const select = (name: string): void => {
    const view = views.find((v) => v.name === name) ?? views[0]!;
    for (const v of views) {
      const selected = v === view;
      v.tab.setAttribute('aria-selected', String(selected));
      v.tab.tabIndex = selected ? 0 : -1;
      v.panel.hidden = !selected;
    }
    if (shown !== view.name) {
      shown = view.name;
      onShow(view.name);
    }
  };

  /** Shows a view and puts it in the URL (a new history entry, as a link's click does). */
  const show = (name: string): void => {
    if (location.hash.slice(1) !== name) location.hash = name;
    else select(name);
  };

  tablist.addEventListener('keydown', (event) => {
    const index = views.findIndex((v) => v.tab === document.activeElement);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: views.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const view = views[(next + views.length) % views.length]!;
    view.tab.focus();
    show(view.name);
  });
  // A tab's own link sets the hash; so do Back and Forward.
  window.addEventListener('hashchange', () => select(location.hash.slice(1)));
  select(location.hash.slice(1));
  return { show };
}
