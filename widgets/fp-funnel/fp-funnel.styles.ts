import { css } from 'lit';

/** A list of steps, each a full-width button: its name and numbers, a bar, and what was lost before it. */
export const funnelStyles = css`
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  .step {
    display: block;
    width: 100%;
    box-sizing: border-box;
    padding: 6px 8px;
    border: 1px solid transparent;
    border-radius: 4px;
    background: none;
    color: inherit;
    font: inherit;
    text-align: left;
    cursor: pointer;
  }
  .step:hover {
    border-color: var(--_border);
  }
  .step:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: 8px;
  }
  .event {
    flex: 1 1 8em;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .index {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .numbers {
    margin-left: auto;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .numbers .rate {
    display: inline-block;
    min-width: 3.5em;
    text-align: right;
    font-weight: 600;
  }
  .bar {
    display: flex;
    height: var(--fp-funnel-bar-height, 20px);
    margin: 4px 0;
    border-radius: 3px;
    overflow: hidden;
    /* The track is the whole of step 1: what is neither kept nor just lost was lost earlier. */
    background: color-mix(in srgb, var(--_border) 40%, transparent);
  }
  .kept {
    background: var(--_series-1);
  }
  /* Lost since the previous step: the series colour, faded and striped so it reads without colour too. */
  .lost {
    background: repeating-linear-gradient(
      -45deg,
      color-mix(in srgb, var(--_series-1) 45%, transparent) 0 4px,
      color-mix(in srgb, var(--_series-1) 20%, transparent) 4px 8px
    );
  }
  .meta {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
  }
  /* "median 1.1 min" breaks between parts, never inside one. */
  .meta .part {
    white-space: nowrap;
  }
`;
