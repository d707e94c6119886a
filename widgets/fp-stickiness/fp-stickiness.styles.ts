import { css } from 'lit';

export const stickinessStyles = css`
  /* The bar buttons are visually hidden: while one has focus, the chart shows the ring (and the bar its tooltip). */
  .chart.focused {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
    border-radius: 2px;
  }
`;
