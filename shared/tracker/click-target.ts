/**
 * What a `$click` records about the element clicked: a descriptor, never
 * what a person typed. Text is taken only from the element's own text
 * nodes, skipping form fields (an input's value, a textarea's content, a
 * select's options), editable regions, scripts and anything marked
 * `data-fp-no-capture`; a click anywhere inside such a marked element is
 * not recorded at all.
 */

/** Mark an element with this attribute and nothing about clicks inside it (or its text, in a click around it) is recorded. */
export const NO_CAPTURE_ATTRIBUTE = 'data-fp-no-capture';

/** Characters of an element's text a click records, at most. */
export const MAX_TARGET_TEXT = 40;

/** Classes a click records, at most (utility-class frameworks put dozens on one element). */
export const MAX_TARGET_CLASSES = 10;

/** The element a click was on, as recorded in `$click` properties. */
export interface ClickTarget {
  /** A selector-like name: tag, `#id`, `.class` for each class (`button#save.primary`); rage clicks are grouped by it. */
  target: string;
  /** Lower-case tag name. */
  tag: string;
  /** The element's id, when it has one. */
  id?: string;
  /** Its first classes (at most {@link MAX_TARGET_CLASSES}). */
  classes: string[];
  /** Its visible text, whitespace collapsed, at most {@link MAX_TARGET_TEXT} characters; absent for form fields and editable text. */
  text?: string;
}

/** Elements a person acts on: a click on a child (an icon in a button) is recorded as a click on them. */
const ACTIONABLE = 'a[href], button, input, select, textarea, label, summary, [role=button], [role=link], [role=menuitem], [role=tab], [role=checkbox], [role=radio], [role=switch], [role=option]';

/** Elements whose content is typed, chosen or code, never recorded as text. */
const NO_TEXT = new Set(['input', 'textarea', 'select', 'option', 'datalist', 'script', 'style', 'noscript', 'template']);

function isElement(node: EventTarget | null | undefined): node is Element {
  return typeof Element !== 'undefined' && node instanceof Element;
}

/**
 * The element a click is recorded for: the nearest actionable element on
 * the click's path (through shadow roots), else the element clicked. Null
 * when the click is inside a `data-fp-no-capture` element, or not on an
 * element.
 */
export function clickedElement(event: Event): Element | null {
  const path = event.composedPath();
  const elements = (path.length > 0 ? path : [event.target]).filter(isElement);
  if (elements.some((element) => element.hasAttribute(NO_CAPTURE_ATTRIBUTE))) return null;
  const clicked = elements[0];
  if (!clicked) return null;
  for (const element of elements) {
    if (element.localName === 'body' || element.localName === 'html') break;
    if (element.matches(ACTIONABLE)) return element;
  }
  return clicked;
}

/** Text a person did not type: form fields, editable regions and no-capture elements are left out. */
function elementText(element: Element): string {
  if (NO_TEXT.has(element.localName) || (element as HTMLElement).isContentEditable) return '';
  let text = '';
  const walk = (node: Node): void => {
    for (const child of node.childNodes) {
      if (text.length > MAX_TARGET_TEXT * 4) return; // enough to fill 40 characters after collapsing whitespace
      if (child.nodeType === Node.TEXT_NODE) text += (child as Text).data;
      else if (isElement(child) && !NO_TEXT.has(child.localName) && !child.hasAttribute(NO_CAPTURE_ATTRIBUTE) && !(child as HTMLElement).isContentEditable) {
        walk(child);
      }
    }
  };
  walk(element);
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_TARGET_TEXT);
}

/** The descriptor of an element for a `$click`. */
export function describeTarget(element: Element): ClickTarget {
  const tag = element.localName;
  const id = element.id || undefined;
  const classes = [...element.classList].slice(0, MAX_TARGET_CLASSES);
  const text = elementText(element);
  const target = `${tag}${id ? `#${id}` : ''}${classes.map((name) => `.${name}`).join('')}`;
  return { target, tag, ...(id ? { id } : {}), classes, ...(text ? { text } : {}) };
}
