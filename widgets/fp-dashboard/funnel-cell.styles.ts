import { css } from 'lit';

/**
 * The funnel's grid cell: its step picker over it, the funnel's card
 * filling the rest so it lines up with its neighbour. Without steps, a
 * card of the widgets' look (their frame is in their shadow roots) keeps
 * the cell from being a hole in the grid.
 */
export const funnelCellStyles = css`
  .funnel-cell {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }
  .funnel-cell > fp-funnel,
  .funnel-placeholder {
    flex: 1;
  }
  .funnel-placeholder {
    box-sizing: border-box;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--fp-radius, 6px);
    padding: var(--fp-padding, 12px 16px);
  }
  .funnel-placeholder h2 {
    font-size: 1em;
    font-weight: 600;
    margin: 0 0 8px;
  }
  .funnel-placeholder p {
    color: var(--_muted);
    text-align: center;
    padding: 24px 0;
    margin: 0;
  }
`;
