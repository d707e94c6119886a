import { css } from 'lit';

/** The curve above, the cohort table below; the table scrolls sideways with its cohort column pinned. */
export const retentionStyles = css`
  /* The widget's border goes around the frame and the grid after it (see render()). */
  .chart {
    height: var(--fp-chart-height, 200px);
    margin-bottom: 12px;
  }
  /*
   * Room for the focus ring of the cells at the edges, which the scrolling box would clip; none on the left,
   * where the pinned cohort column sits and where padding would let scrolled cells show beside it.
   */
  .scroll {
    overflow-x: auto;
    padding: 3px 3px 3px 0;
  }
  table.heat {
    border-collapse: separate;
    border-spacing: 2px;
    width: 100%;
    font-variant-numeric: tabular-nums;
    font-size: 0.9em;
  }
  .heat th {
    font-weight: 600;
    text-align: center;
    white-space: nowrap;
    padding: 4px 6px;
  }
  .heat thead th {
    color: var(--_muted);
    font-weight: normal;
  }
  /* The cohort column stays in view while the periods scroll, on an opaque background. */
  .heat th:first-child {
    position: sticky;
    left: 0;
    z-index: 1;
    background: var(--_bg);
    /* Covers the spacing after it too, where scrolled cells would peek through. */
    box-shadow: 2px 0 0 var(--_bg);
    text-align: left;
  }
  .heat .size {
    display: block;
    color: var(--_muted);
    font-weight: normal;
    font-size: 0.9em;
  }
  .heat td {
    padding: 0;
    min-width: 3.6em;
  }
  .heat .value {
    box-sizing: border-box;
    display: block;
    width: 100%;
    padding: 8px 4px;
    border: none;
    border-radius: 3px;
    font: inherit;
    text-align: center;
    white-space: nowrap;
  }
  .heat button.value {
    cursor: pointer;
  }
  .heat button.value:focus-visible {
    outline: 2px solid var(--_fg);
    outline-offset: 1px;
    position: relative;
    z-index: 2;
  }
  .heat .average th,
  .heat .average .value {
    font-weight: 600;
  }
  /* Suppressed or undefined (empty cohort) cells carry no heat: nothing to measure. */
  .heat .value.plain {
    background: none;
    color: var(--_muted);
    box-shadow: inset 0 0 0 1px var(--_border);
  }
  /*
   * A cell whose period has not ended (METRICS.md section 2) may still grow: thin stripes of its own text colour
   * over its heat colour, faint enough to keep the text readable.
   */
  .heat .value.not-ended {
    background-image: repeating-linear-gradient(
      135deg,
      transparent 0 5px,
      color-mix(in srgb, currentColor 22%, transparent) 5px 7px
    );
  }
  /* Consecutive cohorts of 0 users fold into one quiet row. */
  .heat .folded th {
    font-weight: normal;
    color: var(--_muted);
  }
  .heat .folded .value {
    box-shadow: none;
    text-align: left;
    font-style: italic;
  }
`;
