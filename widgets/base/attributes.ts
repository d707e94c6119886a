/** Attribute converters shared by the widgets. */

function names(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** `steps="a, b, c"`: names separated by commas, trimmed, empty ones left out. */
export const commaList = {
  fromAttribute: (value: string | null): string[] | undefined => (value === null ? undefined : names(value)),
};

/** `features="export, share"` as `commaList`, or `all` as it is. */
export const commaListOrAll = {
  fromAttribute: (value: string | null): string[] | 'all' | undefined => (value === null ? undefined : value.trim() === 'all' ? 'all' : names(value)),
};
