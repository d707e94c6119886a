import { css } from 'lit';

export const dashboardStyles = css`
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 16px;
    margin-bottom: 16px;
  }
  .bar h2 {
    font-size: 1.2em;
    margin: 0 auto 0 0;
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: 6px;
    overflow: hidden;
  }
  .segmented button {
    background: var(--_bg);
    border: none;
    border-right: 1px solid var(--_border);
    color: var(--_fg);
    cursor: pointer;
    font: inherit;
    padding: 4px 10px;
  }
  .segmented button:last-child {
    border-right: none;
  }
  .segmented button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_bg);
  }
  label {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    color: var(--_muted);
  }
  /* The grid's gap spaces the widgets, not their own margins. */
  .grid {
    --fp-margin: 0;
    container: fp-dashboard-grid / inline-size;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr));
    gap: 16px;
  }
  /*
   * KPI cards wrap evenly: up to four in a row, and where four of 200px do not
   * fit, up to two (2 x 2 at 800px, never 3 + 1); one below 416px.
   */
  .kpis {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(max(min(100%, 200px), calc((100% - 3 * 16px) / 4)), 1fr));
    gap: 16px;
  }
  @container fp-dashboard-grid (max-width: 847px) {
    .kpis {
      grid-template-columns: repeat(auto-fit, minmax(max(min(100%, 200px), calc((100% - 16px) / 2)), 1fr));
    }
  }
  .wide {
    grid-column: 1 / -1;
  }
`;
