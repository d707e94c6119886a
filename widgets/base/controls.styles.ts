import { css } from 'lit';

/**
 * Form fields (lists, date inputs) and the keyboard focus ring, as every
 * element with controls draws them: the page's colours, a quiet border.
 * Put before the element's own styles, which may size the fields.
 */
export const controlStyles = css`
  select,
  input {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 4px;
    color: var(--_fg);
    font: inherit;
    padding: 3px 6px;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
`;
