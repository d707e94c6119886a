/**
 * The commands the library gives the user of an extension, under the
 * extension's own name: `<prefix>.showDashboard` and so on, where the prefix
 * is `<section>.usage` unless the author picks another. The author
 * contributes them in package.json (README "For extension authors") so they
 * show in the Command Palette with a title.
 */

/** The command ids for a prefix. */
export function usageCommands(prefix: string) {
  return {
    showDashboard: `${prefix}.showDashboard`,
    toggleRecording: `${prefix}.toggleRecording`,
    toggleSharing: `${prefix}.toggleSharing`,
    whatIsRecorded: `${prefix}.whatIsRecorded`,
    showEvents: `${prefix}.showEvents`,
    exportData: `${prefix}.exportData`,
    deleteData: `${prefix}.deleteData`,
  } as const;
}

export type UsageCommandIds = ReturnType<typeof usageCommands>;

/** Titles, as the README's package.json snippet gives them (`category` is the extension's display name). */
export const USAGE_COMMAND_TITLES: Record<keyof UsageCommandIds, string> = {
  showDashboard: 'Show Usage Dashboard',
  toggleRecording: 'Toggle Usage Recording',
  toggleSharing: 'Toggle Sharing Usage with the Author',
  whatIsRecorded: 'What Usage Is Recorded?',
  showEvents: 'Show Recorded Events',
  exportData: 'Export Usage Data',
  deleteData: 'Delete Usage Data',
};

/** `word-count` -> `wordCount`: the default settings section, as VS Code's sections are camelCase and npm's names are not. */
export function camelCase(name: string): string {
  return name.replace(/[-_.\s]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}
