/** Text made safe for HTML, in content and in double-quoted attribute values: the host's page and the webview's markup both use it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
