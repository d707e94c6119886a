import { css } from 'lit';

export const kpiStyles = css`
  :host {
    --_negative: var(--fp-negative, var(--_danger));
  }
  /* The sparkline always sits under the figure, full width, so cards in a KPI row line up whatever their text. */
  .kpi {
    display: grid;
    gap: 8px;
  }
  /* With the one-line title of the frame, every card of a row has its value on one baseline, digits of one width. */
  .value {
    font-size: 2em;
    font-weight: 600;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  /* One line too, so the sparklines below line up as well. */
  .meta {
    color: var(--_muted);
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .change {
    font-weight: 600;
    margin-right: 6px;
  }
  .change.up {
    color: var(--_positive);
  }
  .change.down {
    color: var(--_negative);
  }
  .change.neutral {
    color: var(--_muted);
  }
  /* The sparkline only: the card's Download CSV icon is an svg too. */
  svg[part='sparkline'] {
    display: block;
    width: 100%;
    height: var(--fp-sparkline-height, 32px);
    overflow: visible;
  }
  polyline {
    fill: none;
    stroke: var(--_series-1);
    stroke-width: 2;
    stroke-linejoin: round;
    stroke-linecap: round;
    vector-effect: non-scaling-stroke;
  }
`;
