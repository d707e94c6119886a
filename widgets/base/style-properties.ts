import { noChange, type ElementPart } from 'lit';
import { Directive, directive, PartType, type PartInfo } from 'lit/directive.js';

/**
 * Sets CSS properties (custom properties too) on the element it is placed
 * on, through the CSSOM (`style.setProperty`), never as a `style` attribute:
 * a Content Security Policy without 'unsafe-inline' (the VS Code webview's,
 * a careful admin page's) blocks style attributes but not the CSSOM, and
 * Lit's `styleMap` writes an attribute on its first render.
 *
 *   html`<span ${styleProperties({ '--rate': '0.4' })}></span>`
 */
class StyleProperties extends Directive {
  private previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('styleProperties() goes inside an element tag: <span ${styleProperties({ ... })}>');
  }

  render(_properties: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Readonly<Record<string, string>>]): typeof noChange {
    const { style } = part.element as HTMLElement | SVGElement;
    for (const name of this.previous) if (!(name in properties)) style.removeProperty(name);
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    this.previous = new Set(Object.keys(properties));
    return noChange;
  }
}

export const styleProperties = directive(StyleProperties);
