import { css } from 'lit';

/** The flow diagram: bands in their source's colour, nodes on top, labels with a halo so bands never hide them. */
export const pathsStyles = css`
  /* Only below the least column width: then the diagram scrolls inside the card instead of running past it. */
  .scroll {
    overflow-x: auto;
  }
  svg {
    display: block;
  }
  .band {
    fill: none;
    stroke: var(--_c);
    /* 0.3 on light, 0.55 on dark: the blue band then has about 2:1 contrast against either background. */
    stroke-opacity: var(--_area-opacity);
  }
  .band:hover {
    stroke-opacity: min(1, calc(2 * var(--_area-opacity)));
  }
  .bar {
    fill: var(--_c);
  }
  /* Paths that end at a node: a short faded stub below its outgoing bands. */
  .drop {
    fill: var(--_muted);
    fill-opacity: var(--_area-opacity);
  }
  .node {
    cursor: pointer;
    outline: none;
  }
  .node.others {
    cursor: default;
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
