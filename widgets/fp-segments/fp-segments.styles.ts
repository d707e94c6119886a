import { css } from 'lit';

/**
 * The stacked bar over the four labels' boxes: one box a row in a narrow
 * widget, two from 420px, four side by side from 760px. Each label has its
 * colour, settable, on the bar and on its box's swatch.
 */
export const segmentsStyles = css`
  .frame {
    container-type: inline-size;
  }
  .power {
    --_seg: var(--fp-segment-power, var(--_series-1));
  }
  .struggling {
    --_seg: var(--fp-segment-struggling, var(--_series-2));
  }
  .exploring {
    --_seg: var(--fp-segment-exploring, var(--_series-7));
  }
  .casual {
    --_seg: var(--fp-segment-casual, color-mix(in srgb, var(--_muted) 50%, var(--_bg)));
  }
  .bar {
    display: flex;
    gap: 2px;
    height: 14px;
    border-radius: 4px;
    overflow: hidden;
    margin: 4px 0 16px;
  }
  .bar > span {
    flex: var(--users) 1 0%;
    min-width: 0;
    background: var(--_seg);
  }
  .segments {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 16px 24px;
  }
  @container (min-width: 420px) {
    .segments {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
  }
  @container (min-width: 760px) {
    .segments {
      grid-template-columns: repeat(4, minmax(0, 1fr));
    }
  }
  section {
    min-width: 0;
  }
  h3 {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 1em;
    font-weight: 600;
    margin: 0;
  }
  .swatch {
    width: 10px;
    height: 10px;
    border-radius: 2px;
    background: var(--_seg);
    flex: none;
  }
  .figure {
    margin: 2px 0 0;
    font-variant-numeric: tabular-nums;
  }
  .figure strong {
    font-size: 1.5em;
    font-weight: 600;
  }
  .share {
    margin-left: 8px;
    color: var(--_muted);
  }
  .rule,
  .none {
    margin: 4px 0 8px;
    color: var(--_muted);
    font-size: 0.85em;
  }
  h4 {
    margin: 0 0 2px;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
    border-bottom: 1px solid var(--_border);
    padding-bottom: 2px;
  }
  .top-events {
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.9em;
  }
  .top-events li {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    padding: 2px 0;
  }
  .event {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .count {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
`;
