import type { PathsResult } from '../../shared/index.ts';

/** An event at a step of the paths: a column's box. */
export interface PathNode {
  step: number;
  event: string;
  /** Paths through this node, as far as the transitions shown and the drop-offs tell (see `layoutPaths`). */
  count: number;
  /** Paths that end here. */
  dropOff: number;
  /** The events this node stands for when it gathers the rest of a column that had too many (`event` then names how many). */
  others?: string[];
  x: number;
  y: number;
  height: number;
  /** Height of the node's outgoing links, stacked from its top; the drop-off is drawn below them. */
  outHeight: number;
}

/** A transition drawn as a band from one node to a node of the next column. */
export interface PathLink {
  from: PathNode;
  to: PathNode;
  count: number;
  width: number;
  /** Top of the band where it leaves `from` and where it enters `to`. */
  y0: number;
  y1: number;
}

export interface PathLayout {
  nodes: PathNode[];
  links: PathLink[];
  width: number;
  height: number;
}

/** A node while its links are counted. */
type Tally = PathNode & { in: number; out: number };

export interface LayoutSize {
  columnWidth: number;
  /** Height the tallest column is scaled to; columns of many small nodes may need more for their labels. */
  height: number;
  nodeWidth: number;
  gap: number;
  /** Least vertical room per node, so every node's label fits. */
  slot: number;
  /** Most nodes in a column: the least travelled beyond it are drawn as one node, "N other events". */
  nodesPerColumn: number;
}

/**
 * A small Sankey layout: one column per step, a node per event at that step
 * (ordered by count, largest on top), heights and link widths on one scale.
 *
 * Nodes come from the result as a whole: the transitions shown (the core's
 * top `limit`) and every drop-off, so a path that stops at its first event
 * is a node too, and a result of one-event paths only is a column of them.
 * A node's count is the larger of what flows in and what flows out plus
 * what ends there, which is exact unless `limit` cut some of its transitions.
 * Drop-offs name every (step, event) where a path stops, dozens on real
 * data: a column keeps its `nodesPerColumn - 1` busiest nodes and gathers
 * the rest into one, their bands merged, so every path still shows.
 */
export function layoutPaths(result: PathsResult, size: LayoutSize): PathLayout {
  const nodes = new Map<string, Tally>();
  const node = (step: number, event: string): Tally => {
    const key = `${step}\u0000${event}`;
    let found = nodes.get(key);
    if (!found) nodes.set(key, (found = { step, event, count: 0, dropOff: 0, x: 0, y: 0, height: 0, outHeight: 0, in: 0, out: 0 }));
    return found;
  };
  for (const t of result.transitions) {
    node(t.step, t.from).out += t.count;
    node(t.step + 1, t.to).in += t.count;
  }
  for (const drop of result.dropOffs) node(drop.step, drop.event).dropOff = drop.count;

  // Steps count from 1; a column stays empty when `limit` left none of its transitions.
  const columns: Tally[][] = Array.from({ length: Math.max(...[...nodes.values()].map((n) => n.step)) }, () => []);
  for (const n of nodes.values()) {
    n.count = Math.max(n.in, n.out + n.dropOff);
    columns[n.step - 1]!.push(n);
  }
  const drawnAs = new Map<Tally, Tally>();
  columns.forEach((column, i) => {
    column.sort((a, b) => b.count - a.count || (a.event < b.event ? -1 : 1));
    if (column.length <= size.nodesPerColumn) return;
    const rest = column.splice(size.nodesPerColumn - 1);
    const other: Tally = { step: i + 1, event: `${rest.length} other events`, others: rest.map((n) => n.event), count: 0, dropOff: 0, x: 0, y: 0, height: 0, outHeight: 0, in: 0, out: 0 };
    for (const n of rest) {
      for (const key of ['count', 'dropOff', 'in', 'out'] as const) other[key] += n[key];
      drawnAs.set(n, other);
    }
    column.push(other);
  });

  // A band per pair of nodes drawn: transitions into or out of gathered nodes add up.
  const links: PathLink[] = [];
  const bands = new Map<Tally, Map<Tally, PathLink>>();
  for (const t of result.transitions) {
    const [from, to] = [node(t.step, t.from), node(t.step + 1, t.to)].map((n) => drawnAs.get(n) ?? n) as [Tally, Tally];
    const fromBands = bands.get(from) ?? bands.set(from, new Map()).get(from)!;
    const band = fromBands.get(to);
    if (band) band.count += t.count;
    else {
      const link = { from, to, count: t.count, width: 0, y0: 0, y1: 0 };
      fromBands.set(to, link);
      links.push(link);
    }
  }

  const tallest = Math.max(...columns.map((column) => column.reduce((sum, n) => sum + n.count, 0)));
  const most = Math.max(...columns.map((column) => column.length));
  const scale = Math.max(0, size.height - (most - 1) * size.gap) / tallest;
  let height = 0;
  columns.forEach((column, i) => {
    let y = 0;
    for (const n of column) {
      n.x = i * size.columnWidth;
      n.y = y;
      n.height = Math.max(2, n.count * scale);
      y += Math.max(n.height, size.slot) + size.gap;
    }
    height = Math.max(height, y - size.gap);
  });

  // Bands leave a node in the order of their targets and enter in the order of their sources, so they do not cross at the ends.
  for (const link of links) link.width = Math.max(1, link.count * scale);
  const stack = (key: 'y0' | 'y1', end: 'from' | 'to', other: 'from' | 'to') => {
    const offsets = new Map<PathNode, number>();
    for (const link of [...links].sort((a, b) => a[other].y - b[other].y)) {
      const at = offsets.get(link[end]) ?? 0;
      link[key] = link[end].y + at;
      offsets.set(link[end], at + link.width);
    }
    if (end === 'from') for (const [n, used] of offsets) n.outHeight = used;
  };
  stack('y0', 'from', 'to');
  stack('y1', 'to', 'from');

  // Column by column, top to bottom: the order the nodes are drawn in, so also their tab order.
  return { nodes: columns.flat(), links, width: columns.length * size.columnWidth, height };
}
