import { MAX_TARGET_CLASSES, MAX_TARGET_TEXT, type ClickTarget } from '../../../shared/tracker/click-target.ts';

/** One element of an autocapture event, as PostHog describes it. */
export interface CapturedElement {
  tag: string;
  classes: string[];
  /** `attr__id`, `attr_id` and the element's other attributes, by name as sent. */
  attributes: Record<string, string>;
  text?: string;
}

/**
 * One element of an `elements_chain`: `tag.class1.class2:` then attributes
 * `name="value"` (quotes inside escaped `\"`), elements separated by `;`,
 * the element clicked first. PostHog's own parser (posthog/models/element)
 * splits it the same way.
 */
const CHAIN_ELEMENT = /(?:[^\s;"]|"(?:\\.|[^"])*")+/g;
const ATTRIBUTE = /([a-zA-Z\-_0-9]+)="((?:\\.|[^"])*)"/g;

/** The elements of an `$elements_chain`, the one clicked first. */
export function parseElementsChain(chain: string): CapturedElement[] {
  const elements: CapturedElement[] = [];
  for (const [text] of chain.matchAll(CHAIN_ELEMENT)) {
    // The tag and classes end at the first ':' that starts an attribute (a class may hold a ':', as Tailwind's do).
    const split = /:(?=[a-zA-Z\-_0-9]*=)/.exec(text);
    const head = split ? text.slice(0, split.index) : text;
    const [tag = '', ...classes] = head.split('.');
    const attributes: Record<string, string> = {};
    if (split) for (const [, name, value] of text.slice(split.index + 1).matchAll(ATTRIBUTE)) attributes[name!] = value!.replace(/\\"/g, '"');
    const { text: elementText, ...rest } = attributes;
    elements.push({ tag, classes: classes.filter(Boolean), attributes: rest, ...(elementText === undefined ? {} : { text: elementText }) });
  }
  return elements;
}

/** The elements of an `$elements` array (what SDKs send when they send no chain): `tag_name`, `attr__class` or `classes`, `$el_text`, `attr__*`. */
export function readElementsArray(elements: readonly unknown[]): CapturedElement[] {
  return elements.flatMap((element) => {
    if (typeof element !== 'object' || element === null) return [];
    const fields = element as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) if (name.startsWith('attr__') && typeof value === 'string') attributes[name] = value;
    const classes = Array.isArray(fields.classes) ? fields.classes.filter((c): c is string => typeof c === 'string') : (attributes.attr__class ?? '').split(/\s+/).filter(Boolean);
    const text = typeof fields.$el_text === 'string' ? fields.$el_text : undefined;
    return [{ tag: typeof fields.tag_name === 'string' ? fields.tag_name : '', classes, attributes, ...(text === undefined ? {} : { text }) }];
  });
}

/** Tags a person acts on, as the tracker's click target has them (a click on an icon in a button is the button's). */
const ACTIONABLE_TAGS = new Set(['button', 'input', 'select', 'textarea', 'label', 'summary']);
const ACTIONABLE_ROLES = new Set(['button', 'link', 'menuitem', 'tab', 'checkbox', 'radio', 'switch', 'option']);

function isActionable(element: CapturedElement): boolean {
  if (ACTIONABLE_TAGS.has(element.tag)) return true;
  if (element.tag === 'a' && (element.attributes.href !== undefined || element.attributes.attr__href !== undefined)) return true;
  return ACTIONABLE_ROLES.has(element.attributes.attr__role ?? '');
}

/**
 * The click target of an autocapture event's elements, in the form the
 * tracker's `$click` has (shared/tracker/click-target.ts), so that the
 * friction kind groups rage clicks on posthog-js data as on the
 * tracker's: the nearest actionable element from the one clicked outwards
 * (else the one clicked), named `tag#id.class…`. posthog-js sorts the
 * classes of a chain, so an element's target lists them in that order.
 * Null when there is no element.
 */
export function clickTargetOf(elements: readonly CapturedElement[]): ClickTarget | null {
  const inner = elements.findIndex((element) => element.tag === 'body' || element.tag === 'html');
  const candidates = inner === -1 ? elements : elements.slice(0, inner);
  const element = candidates.find(isActionable) ?? candidates[0];
  if (!element || element.tag === '') return null;
  const id = element.attributes.attr__id ?? element.attributes.attr_id;
  const classes = element.classes.slice(0, MAX_TARGET_CLASSES);
  const text = (element.text ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TARGET_TEXT);
  const target = `${element.tag}${id ? `#${id}` : ''}${classes.map((name) => `.${name}`).join('')}`;
  return { target, tag: element.tag, ...(id ? { id } : {}), classes, ...(text ? { text } : {}) };
}
