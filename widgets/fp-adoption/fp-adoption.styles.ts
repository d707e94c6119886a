import { css } from 'lit';

/**
 * The ranked feature list: stacked lines (name and rate, bar, figures) in a
 * narrow widget, one row of columns under a header from 560px up. There the
 * name column is as wide as the longest name (`--_name-width`, set by the
 * element) up to 40% of the list, and the bar takes what the figures leave.
 */
export const adoptionStyles = css`
  .adoption {
    container-type: inline-size;
  }
  .features {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .feature {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-areas: 'name rate' 'bar bar' 'figures figures';
    column-gap: 12px;
    row-gap: 2px;
    align-items: center;
    padding: 6px 8px;
    border-radius: 4px;
    cursor: pointer;
  }
  .feature:hover {
    background: color-mix(in srgb, var(--_fg) 5%, transparent);
  }
  .feature.selected {
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .feature.focused {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .name {
    grid-area: name;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 500;
  }
  .rate {
    grid-area: rate;
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  .bar {
    grid-area: bar;
    height: 8px;
    border-radius: 4px;
    background: color-mix(in srgb, var(--_border) 60%, transparent);
    overflow: hidden;
  }
  .bar > span {
    display: block;
    height: 100%;
    width: calc(var(--rate) * 100%);
    background: var(--_series-1);
  }
  .figures {
    grid-area: figures;
    display: flex;
    flex-wrap: wrap;
    gap: 0 12px;
    color: var(--_muted);
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
  }
  .columns {
    display: none;
  }
  .series-title {
    margin: 16px 0 4px;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .chart.series {
    height: calc(var(--fp-chart-height, 240px) * 0.6);
  }

  @container (min-width: 560px) {
    .feature,
    .columns {
      /* Every row is a grid of its own: the name column's width must not depend on the row's name. */
      grid-template-columns: minmax(min(6em, 40%), min(40%, var(--_name-width, 14em))) minmax(3em, 1fr) 3em 4.5em 5em 4.5em;
      column-gap: 10px;
    }
    .feature {
      grid-template-areas: 'name bar rate adopters days repeat';
      row-gap: 0;
    }
    .columns {
      display: grid;
      align-items: end;
      padding: 0 8px 4px;
      margin-bottom: 4px;
      border-bottom: 1px solid var(--_border);
      color: var(--_muted);
    }
    /* On the spans, not the grid: its em-sized columns must match the rows'. */
    .columns > span {
      font-size: 0.85em;
    }
    .columns > .wide {
      grid-column: span 2;
    }
    .figures {
      display: contents;
      font-size: 1em;
      color: inherit;
    }
    .adopters {
      grid-area: adopters;
    }
    .days {
      grid-area: days;
    }
    .repeat {
      grid-area: repeat;
    }
    .figures > span,
    .columns > .num {
      text-align: right;
    }
    .unit {
      display: none;
    }
  }
`;
