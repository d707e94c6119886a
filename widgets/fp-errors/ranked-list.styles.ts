import { css } from 'lit';

/**
 * A compact ranked list: a heading row, then one button per row: a name that
 * wraps, over a faint bar as long as the row's share of the largest count
 * (`--share`, 0..1), and two right-aligned counts. The counts have fixed
 * widths because each row is its own grid and the columns must line up.
 * Shared by `fp-errors` (top errors) and `fp-friction` (its three lists).
 */
export const rankedListStyles = css`
  .ranked-head,
  .ranked button {
    display: grid;
    grid-template-columns: minmax(0, 1fr) 3.5em 3.5em;
    gap: 8px;
    align-items: baseline;
    padding: 4px 6px;
  }
  .ranked-head {
    color: var(--_muted);
    font-size: 0.8em;
    border-bottom: 1px solid var(--_border);
  }
  .ranked {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .ranked li + li {
    border-top: 1px solid color-mix(in srgb, var(--_border) 50%, transparent);
  }
  .ranked button {
    width: 100%;
    box-sizing: border-box;
    border: none;
    border-radius: 3px;
    color: inherit;
    font: inherit;
    text-align: left;
    cursor: pointer;
    background: none;
  }
  .ranked button:hover {
    background-color: color-mix(in srgb, var(--_fg) 6%, transparent);
  }
  .ranked button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .name {
    overflow-wrap: anywhere;
    margin: -2px 0;
    padding: 2px 4px;
    border-radius: 2px;
    background: linear-gradient(
      to right,
      color-mix(in srgb, var(--_series-1) 25%, transparent) calc(var(--share, 0) * 100%),
      transparent 0
    );
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .ranked-empty {
    color: var(--_muted);
    font-size: 0.9em;
    margin: 0;
    padding: 8px 6px;
  }
  h3 {
    font-size: 0.9em;
    font-weight: 600;
    margin: 0 0 4px;
  }
`;
