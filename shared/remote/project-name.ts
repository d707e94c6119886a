/**
 * A project's name on a Footprint server: also its file name
 * (DATA_DIR/projects/<project>.sqlite) and part of URLs, so lowercase
 * letters, digits, `_` and `-` only, starting with a letter or digit, at
 * most 63 characters. The server checks names with it, and a page's
 * `connectServer` checks one before asking.
 */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
