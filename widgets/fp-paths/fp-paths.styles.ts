import { css } from 'lit';

/** The flow diagram: bands in their source's colour, nodes on top, labels with a halo so bands never hide them. */
export const pathsStyles = css`
  .scroll {
    overflow-x: auto;
  }
  svg {
    display: block;
  }
  .band {
    fill: none;
    stroke: var(--_c);
    stroke-opacity: 0.3;
  }
  .band:hover {
    stroke-opacity: 0.6;
  }
  .bar {
    fill: var(--_c);
  }
  /* Paths that end at a node: a short faded stub below its outgoing bands. */
  .drop {
    fill: var(--_muted);
    fill-opacity: 0.35;
  }
  .node {
    cursor: pointer;
    outline: none;
  }
  .hit {
    fill: transparent;
    stroke: none;
    rx: 3px;
  }
  .node:hover .hit {
    stroke: var(--_border);
    stroke-width: 1px;
  }
  .node:focus-visible .hit {
    stroke: var(--_accent);
    stroke-width: 2px;
  }
  text {
    pointer-events: none;
    fill: var(--_fg);
    font-size: 12px;
    paint-order: stroke;
    stroke: var(--_bg);
    stroke-width: 3px;
    stroke-linejoin: round;
  }
  text.name {
    font-weight: 600;
  }
  text.count {
    fill: var(--_muted);
    font-size: 11px;
    font-variant-numeric: tabular-nums;
  }
`;
