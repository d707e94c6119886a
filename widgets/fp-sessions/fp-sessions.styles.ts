import { css } from 'lit';

export const sessionsStyles = css`
  .sessions {
    container-type: inline-size;
  }
  .figures {
    display: grid;
    /* Six figures: two rows of three, three of two on a narrow card, one row on a wide one. */
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: 8px 12px;
    margin: 0 0 12px;
  }
  @container (min-width: 400px) {
    .figures {
      grid-template-columns: repeat(3, minmax(0, 1fr));
    }
  }
  @container (min-width: 760px) {
    .figures {
      grid-template-columns: repeat(6, minmax(0, 1fr));
    }
  }
  .figures dt {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .figures dd {
    margin: 0;
    font-size: 1.4em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .chart {
    height: var(--fp-chart-height, 200px);
  }
  .sessions .note {
    margin: 8px 0 0;
  }
`;
