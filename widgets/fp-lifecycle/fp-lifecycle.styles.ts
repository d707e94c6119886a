import { css } from 'lit';

/** The ring round the chart while one of its (visually hidden) segment buttons has the keyboard focus. */
export const lifecycleStyles = css`
  .chart.focused {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
    border-radius: 2px;
  }
`;
