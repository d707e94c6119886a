import { css } from 'lit';

/**
 * Colours and type of every element. Each `--fp-*` custom property falls
 * back to VS Code's `--vscode-*` variable (so webviews match the editor),
 * then to a built-in light or dark palette: dark under
 * `prefers-color-scheme: dark` or `theme="dark"`, light with `theme="light"`.
 */
export const themeStyles = css`
  :host {
    --_light-fg: #1f2328;
    --_light-muted: #59636e;
    --_light-bg: #ffffff;
    --_light-border: #d1d9e0;
    --_light-accent: #0969da;
    --_light-danger: #cf222e;
    --_dark-fg: #e6edf3;
    --_dark-muted: #9198a1;
    --_dark-bg: #0d1117;
    --_dark-border: #3d444d;
    --_dark-accent: #4493f8;
    --_dark-danger: #f85149;

    --_base-fg: var(--_light-fg);
    --_base-muted: var(--_light-muted);
    --_base-bg: var(--_light-bg);
    --_base-border: var(--_light-border);
    --_base-accent: var(--_light-accent);
    --_base-danger: var(--_light-danger);

    --_fg: var(--fp-foreground, var(--vscode-foreground, var(--_base-fg)));
    --_muted: var(--fp-muted, var(--vscode-descriptionForeground, var(--_base-muted)));
    --_bg: var(--fp-background, var(--vscode-editor-background, var(--_base-bg)));
    --_border: var(--fp-border, var(--vscode-panel-border, var(--_base-border)));
    --_accent: var(--fp-accent, var(--vscode-charts-blue, var(--_base-accent)));
    --_danger: var(--fp-danger, var(--vscode-errorForeground, var(--_base-danger)));
    /* A rise: the theme's green, mixed with the text colour for contrast on light and dark. */
    --_positive: var(--fp-positive, color-mix(in srgb, var(--_series-3) 70%, var(--_fg)));
    --_series-1: var(--fp-series-1, var(--vscode-charts-blue, #4e79a7));
    --_series-2: var(--fp-series-2, var(--vscode-charts-orange, #f28e2b));
    --_series-3: var(--fp-series-3, var(--vscode-charts-green, #59a14f));
    --_series-4: var(--fp-series-4, var(--vscode-charts-red, #e15759));
    --_series-5: var(--fp-series-5, var(--vscode-charts-purple, #b07aa1));
    --_series-6: var(--fp-series-6, var(--vscode-charts-yellow, #d4a82a));
    --_series-7: var(--fp-series-7, #76b7b2);
    --_series-8: var(--fp-series-8, #9c755f);
    /* Bands and washes drawn over the background: a faint fill that reads on white vanishes on a dark background. */
    --_area-opacity: 0.3;
    --_font: var(--fp-font-family, var(--vscode-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif));
    --_font-size: var(--fp-font-size, var(--vscode-font-size, 14px));

    display: block;
    box-sizing: border-box;
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_base-fg: var(--_dark-fg);
      --_base-muted: var(--_dark-muted);
      --_base-bg: var(--_dark-bg);
      --_base-border: var(--_dark-border);
      --_base-accent: var(--_dark-accent);
      --_base-danger: var(--_dark-danger);
      --_area-opacity: 0.55;
    }
  }
  :host([theme='dark']) {
    --_base-fg: var(--_dark-fg);
    --_base-muted: var(--_dark-muted);
    --_base-bg: var(--_dark-bg);
    --_base-border: var(--_dark-border);
    --_base-accent: var(--_dark-accent);
    --_base-danger: var(--_dark-danger);
    --_area-opacity: 0.55;
  }
  :host([hidden]) {
    display: none;
  }
`;

/** The parts every widget renders: its frame, header, states and the hidden data table. */
export const frameStyles = css`
  /* Apart from its neighbours on a plain page; a grid with a gap sets --fp-margin: 0. */
  :host {
    margin: var(--fp-margin, 0 0 16px);
  }
  .frame {
    /* Fills the host, so widgets side by side in a grid row line up. */
    box-sizing: border-box;
    height: 100%;
    background: var(--_bg);
    /* The positioned ancestor of the hidden data table, so it never widens the page. */
    position: relative;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--fp-radius, 6px);
    padding: var(--fp-padding, 12px 16px);
  }
  /* As tall with the download button as without it (loading), so the content never jumps. */
  .head {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 24px;
    margin-bottom: 8px;
  }
  /* The title takes the width; one line, so cards side by side start their content at one height. */
  h2 {
    flex: 1 1 auto;
    min-width: 0;
    font-size: 1em;
    font-weight: 600;
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /* A quiet square button with an icon: muted until hovered or focused. */
  .icon-button {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 28px;
    height: 28px;
    margin: -2px -6px -2px auto;
    padding: 0;
    background: none;
    border: none;
    border-radius: 4px;
    color: var(--_muted);
    cursor: pointer;
  }
  .icon-button:hover {
    color: var(--_fg);
    background: color-mix(in srgb, var(--_fg) 8%, transparent);
  }
  .icon-button:focus-visible {
    color: var(--_fg);
    outline: 2px solid var(--_accent);
    outline-offset: 0;
  }
  .icon {
    display: block;
  }
  .note {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .state {
    color: var(--_muted);
    padding: 24px 0;
    text-align: center;
  }
  .state.error {
    color: var(--_danger);
    text-align: left;
  }
  .chart {
    position: relative;
    height: var(--fp-chart-height, 240px);
  }
  /* A row of headline figures: the value above its name. */
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(110px, 1fr));
    gap: 8px 16px;
    margin: 0 0 12px;
  }
  .figures div {
    display: flex;
    flex-direction: column-reverse;
  }
  .figures dt {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .figures dd {
    margin: 0;
    font-size: 1.5em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .visually-hidden {
    /* A table ignores width: 1px unless its layout is fixed; long labels would widen the page. */
    table-layout: fixed;
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/** How many series colours the theme defines (`--fp-series-1` ..). */
export const SERIES_COLOURS = 8;
