import { SpecError, quote } from '../../shared/errors.ts';

/**
 * A project's name: also its file name (DATA_DIR/projects/<project>.sqlite)
 * and part of URLs, so lowercase letters, digits, `_` and `-` only, starting
 * with a letter or digit, at most 63 characters.
 */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** `value` when it is a project name; otherwise a SpecError naming `field`. */
export function checkProjectName(value: unknown, field = 'project'): string {
  if (typeof value !== 'string' || !PROJECT_NAME.test(value)) {
    throw new SpecError(field, `must be a project name (1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit), got ${quote(value)}`);
  }
  return value;
}
