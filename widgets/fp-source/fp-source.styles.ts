import { css } from 'lit';

/** The status line of `fp-source`; the slotted widgets are laid out by the page. */
export const fpSourceStyles = css`
  :host {
    display: block;
    --fp-source-muted: var(--fp-muted, var(--vscode-descriptionForeground, #5f6368));
    --fp-source-danger: var(--fp-danger, var(--vscode-errorForeground, #b3261e));
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --fp-source-muted: var(--fp-muted, var(--vscode-descriptionForeground, #b0b3b8));
      --fp-source-danger: var(--fp-danger, var(--vscode-errorForeground, #ff8a80));
    }
  }
  :host([hidden]),
  :host([quiet]) .status {
    display: none;
  }
  .status {
    font-family: var(--fp-font-family, var(--vscode-font-family, system-ui, sans-serif));
    font-size: 0.875em;
    color: var(--fp-source-muted);
    margin: 0 0 0.5em;
    font-variant-numeric: tabular-nums;
  }
  .status:empty {
    display: none;
  }
  .status.error {
    color: var(--fp-source-danger);
  }
`;
