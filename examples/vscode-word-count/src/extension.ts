// Word Count: an extension of a few lines that records its usage with the
// Footprint library, as README "For extension authors" tells an author to.
import * as vscode from 'vscode';
import { createUsageRecorder, type UsageRecorder } from 'footprint/vscode';

let usage: UsageRecorder | undefined;

// The author's Footprint server and a write key of its project (public by design: it can only add events).
// The end-to-end tests point them at a server of their own.
const FOOTPRINT_URL = process.env.WORD_COUNT_FOOTPRINT_URL ?? 'https://footprint.example.com';
const FOOTPRINT_WRITE_KEY = process.env.WORD_COUNT_FOOTPRINT_KEY ?? 'fpw_replace_with_your_write_key';

/** The words of a text: runs of letters, digits, apostrophes and hyphens. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}'’-]+/gu)?.length ?? 0;
}

export function activate(context: vscode.ExtensionContext): void {
  // Before the commands are registered, so each one is recorded.
  usage = createUsageRecorder(context, { upload: { url: FOOTPRINT_URL, key: FOOTPRINT_WRITE_KEY } });

  context.subscriptions.push(
    vscode.commands.registerCommand('wordCount.countWords', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('Open a file to count its words.');
      const words = countWords(editor.document.getText());
      void vscode.window.showInformationMessage(`${words} word${words === 1 ? '' : 's'}`);
      return words;
    }),
    vscode.commands.registerCommand('wordCount.countSelection', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('Select some text to count its words.');
      const words = editor.selections.reduce((sum, selection) => sum + countWords(editor.document.getText(selection)), 0);
      usage?.track('selection.counted', { selections: editor.selections.length });
      void vscode.window.showInformationMessage(`${words} word${words === 1 ? '' : 's'} selected`);
      return words;
    }),
  );
}

export function deactivate(): Promise<void> | undefined {
  return usage?.dispose();
}
