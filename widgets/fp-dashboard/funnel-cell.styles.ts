import { css } from 'lit';

/** The funnel's grid cell: its step picker over it, the funnel's card filling the rest so it lines up with its neighbour. */
export const funnelCellStyles = css`
  .funnel-cell {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }
  .funnel-cell > fp-funnel {
    flex: 1;
  }
`;
