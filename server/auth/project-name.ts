import { SpecError, quote } from '../../shared/errors.ts';
import { PROJECT_NAME } from '../../shared/remote/project-name.ts';

/** `value` when it is a project name; otherwise a SpecError naming `field`. */
export function checkProjectName(value: unknown, field = 'project'): string {
  if (typeof value !== 'string' || !PROJECT_NAME.test(value)) {
    throw new SpecError(field, `must be a project name (1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit), got ${quote(value)}`);
  }
  return value;
}
