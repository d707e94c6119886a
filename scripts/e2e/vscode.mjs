// A real VS Code for the end-to-end suite: code-server (tools.mjs) on a free
// loopback port, with a fresh profile per scenario, driven by playwright-core
// in Debian's Chromium (CHROME_PATH first). Everything it starts is stopped
// again: on return, on errors, on Ctrl-C / SIGTERM and on process exit.
// The facts behind each step: ../../../shared/TESTING.md, "A real VS Code, offline".
//
//   const profile = createProfile({ settings: { 'telemetry.telemetryLevel': 'off' } });
//   await installExtension(tools, profile, 'footprint-0.1.0.vsix');
//   const server = await startCodeServer(tools, profile);
//   const browser = await launchBrowser();
//   const vscode = await openWorkbench(browser, server);
//   await vscode.runCommand('Footprint: Show Usage Dashboard');
//   ... finally: await browser.close(); await server.stop(); removeProfile(profile)
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, ensureChromium } from '../chromium.mjs';
import { importPlaywright } from './tools.mjs';

// ---- stopping what was started, whatever happens ---------------------------

/** Process groups started here and not stopped yet (pid of each group leader). */
const groups = new Set();
/** Profile folders in use: removed when the run is interrupted (a finished scenario removes or keeps its own). */
const liveProfiles = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

let handlersInstalled = false;
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort, synchronous: whatever is still running dies with us.
  process.on('exit', () => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
    for (const profile of liveProfiles) rmSync(profile.root, { recursive: true, force: true, maxRetries: 3 });
  });
  // On a signal, exit at once: the exit handler above ends code-server's process groups and
  // removes the profiles in use, and playwright-core's own exit handler kills the browser it launched.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\n[e2e] ${signal}: stopping code-server and Chromium, removing the profiles in use`);
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
    });
  }
}

// ---- profiles --------------------------------------------------------------

/**
 * A fresh VS Code profile in a new temporary folder: `userData` (the
 * `--user-data-dir`, with settings in `User/settings.json`), `extensions`
 * (the `--extensions-dir`), `workspace` (the folder VS Code opens) and `root`.
 * Settings must be written before code-server starts: it does not pick up
 * later edits of that file (TESTING.md).
 */
export function createProfile({ settings = {}, name = 'profile' } = {}) {
  const root = mkdtempSync(join(tmpdir(), `footprint-e2e-${name.replace(/[^\w-]+/g, '-')}-`));
  const profile = { root, userData: join(root, 'user-data'), extensions: join(root, 'extensions'), workspace: join(root, 'workspace') };
  for (const dir of [profile.userData, profile.extensions, profile.workspace]) mkdirSync(dir, { recursive: true });
  writeSettings(profile, { ...QUIET_SETTINGS, ...settings });
  installExitHandlers();
  liveProfiles.add(profile);
  return profile;
}

/**
 * Settings every profile starts with (a scenario's own settings win): no
 * welcome page, no chat panel (it also tries to reach hosts this machine
 * cannot reach), no update checks. None of them touches telemetry.
 */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  // code-server offers to forward ports other programs on the machine listen on, in a toast.
  'remote.autoForwardPorts': false,
};

/** Replaces the profile's user settings (code-server must be (re)started afterwards to see them). */
export function writeSettings(profile, settings) {
  const dir = join(profile.userData, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/** Removes a profile's folder. */
export function removeProfile(profile) {
  liveProfiles.delete(profile);
  rmSync(profile.root, { recursive: true, force: true, maxRetries: 3 });
}

/** Keeps a profile's folder for inspection (a failed scenario), even when the run is interrupted later. */
export function keepProfile(profile) {
  liveProfiles.delete(profile);
}

/** An extension's global storage folder in a profile (`context.globalStorageUri`). */
export function globalStorage(profile, extensionId) {
  return join(profile.userData, 'User', 'globalStorage', extensionId.toLowerCase());
}

// ---- code-server -----------------------------------------------------------

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The tools' environment, with code-server's own logs (XDG_DATA_HOME/code-server/coder-logs)
 * inside the profile, and a scenario's own variables (`extra`), which the extension host inherits.
 */
function codeServerEnv(tools, profile, extra = {}) {
  return { ...tools.env, ...extra, XDG_DATA_HOME: join(profile.root, 'data-home') };
}

/** Runs code-server once (not as a server) and resolves when it exits with 0. */
function runCodeServerCli(tools, profile, args, { log, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const out = openSync(log, 'a');
    const child = spawn(tools.node.binary, [tools.codeServer.entry, ...args], { env: codeServerEnv(tools, profile), stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    groups.add(child.pid);
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} took more than ${timeoutMs / 1000} s; its log (${log}):\n${tail(log)}`));
    }, timeoutMs);
    child.on('error', (error) => reject(new Error(`could not start code-server: ${error.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      groups.delete(child.pid);
      if (code === 0) resolve();
      else reject(new Error(`code-server ${args.join(' ')} failed (${signal ?? `exit code ${code}`}); its log (${log}):\n${tail(log)}`));
    });
  });
}

/** Installs a packaged extension (.vsix) into the profile's extensions folder, offline. */
export async function installExtension(tools, profile, vsix) {
  if (!existsSync(vsix)) throw new Error(`installExtension: no file at ${vsix}; package the extension first (npm run package)`);
  await runCodeServerCli(tools, profile, ['--extensions-dir', profile.extensions, '--user-data-dir', profile.userData, '--install-extension', vsix], {
    log: join(profile.root, 'install-extension.log'),
  });
}

/**
 * Starts code-server for the profile on a free loopback port and waits
 * until it answers; `env` adds variables to its environment (the extension
 * host inherits them). Resolves to `{ port, url, folderUrl, log, stop() }`;
 * `stop()` ends its whole process group (code-server forks the extension
 * host and other helpers) and resolves when it is gone.
 */
export async function startCodeServer(tools, profile, { timeoutMs = 60_000, env = {} } = {}) {
  installExitHandlers();
  const port = await freePort();
  const log = join(profile.root, 'code-server.log');
  const out = openSync(log, 'a');
  const args = [
    tools.codeServer.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', profile.extensions,
    '--user-data-dir', profile.userData,
    profile.workspace,
  ];
  // Its own process group, so stop() reaches the extension host and the other children too.
  const child = spawn(tools.node.binary, args, { env: codeServerEnv(tools, profile, env), stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  groups.add(child.pid);
  let exited = null;
  const gone = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = signal ?? `exit code ${code}`;
      resolve();
    });
    child.on('error', (error) => {
      exited = error.message;
      resolve();
    });
  });

  const stop = async () => {
    if (!groups.has(child.pid)) return;
    killGroup(child.pid, 'SIGTERM');
    const polite = await Promise.race([gone.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    // The leader may be gone while helpers of its group still run: end them all.
    killGroup(child.pid, 'SIGKILL');
    if (!polite) await gone;
    groups.delete(child.pid);
  };

  const url = `http://127.0.0.1:${port}`;
  const since = Date.now();
  for (;;) {
    if (exited) {
      groups.delete(child.pid);
      throw new Error(`code-server stopped while starting (${exited}); its log (${log}):\n${tail(log)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - since > timeoutMs) {
      await stop();
      throw new Error(`code-server did not answer on ${url}/healthz within ${timeoutMs / 1000} s; its log (${log}):\n${tail(log)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, url, folderUrl: `${url}/?folder=${encodeURIComponent(profile.workspace)}`, log, pid: child.pid, stop };
}

// ---- Chromium through playwright-core --------------------------------------

/**
 * Launches headless Chromium (CHROME_PATH, else /usr/bin/chromium; never a
 * browser Playwright would download) with the flags TESTING.md lists.
 */
export async function launchBrowser() {
  installExitHandlers();
  const { chromium } = await importPlaywright();
  const executablePath = ensureChromium();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // Our signal handlers exit the process; playwright-core's exit handler then kills the browser.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS.filter((arg) => isRoot || arg !== '--no-sandbox'),
  });
  return browser;
}

/**
 * Opens the workbench of a running code-server in a new page and waits for
 * it to be usable. Returns a `Workbench` with the helpers below.
 */
export async function openWorkbench(browser, server, { viewport = { width: 1400, height: 900 }, timeoutMs = 90_000 } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const workbench = new Workbench(page);
  page.on('console', (message) => {
    if (message.type() === 'error') workbench.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => workbench.consoleErrors.push(String(error)));
  await page.goto(server.folderUrl, { timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  // The status bar and the command palette keybinding are ready once the workbench parts are laid out.
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: timeoutMs });
  return workbench;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined/false; throws `what` after the timeout. */
export async function waitUntil(probe, what, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const since = Date.now();
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last !== undefined && last !== false && last !== null) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() - since > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await sleep(intervalMs);
  }
}

/** Helpers over one workbench page. */
export class Workbench {
  /** Errors the page logged (console.error, uncaught), for reports. */
  consoleErrors = [];

  constructor(page) {
    this.page = page;
  }

  /**
   * Runs a command by its title through the command palette (F1): types
   * the title, waits until the highlighted entry is exactly that title (so
   * a similar command never runs instead), then Enter.
   */
  async runCommand(title, { timeoutMs = 20_000 } = {}) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    const focused = page.locator('.quick-input-list .monaco-list-row.focused .label-name').first();
    // The palette can close under us (a notification or hover taking focus), and it lists the
    // commands known when it opened (an extension's arrive some seconds after the workbench):
    // each try opens it afresh and types the title again.
    await waitUntil(async () => {
      if (!(await input.isVisible())) {
        await page.locator('.monaco-workbench').focus().catch(() => undefined);
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 3000 });
      }
      await input.fill(`>${title}`, { timeout: 2000 });
      const matched = await waitUntil(
        async () => (await focused.textContent({ timeout: 500 }))?.replace(/\s+/g, ' ').trim() === title,
        'the title',
        { timeoutMs: 1500, intervalMs: 100 },
      ).catch(() => false);
      if (!matched) await page.keyboard.press('Escape');
      return matched;
    }, `the command palette to offer "${title}" (is the extension installed and its command contributed?)`, { timeoutMs, intervalMs: 500 });
    await page.keyboard.press('Enter');
    // The palette closes, or turns into the command's own quick pick.
    await waitUntil(async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${title}`, `the command palette to run "${title}"`, { timeoutMs });
  }

  /**
   * In the open quick input (command palette, quick pick): types `text`,
   * waits until the highlighted entry's label is exactly `label`, presses
   * Enter and waits for the quick input to close or change.
   */
  async pick(text, label = text, { timeoutMs = 20_000, what } = {}) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await waitUntil(async () => {
      const shown = (await focused.locator('.label-name').first().textContent({ timeout: 1000 }))?.replace(/\s+/g, ' ').trim();
      return shown === label;
    }, what ?? `the quick pick to highlight "${label}"`, { timeoutMs });
    await page.keyboard.press('Enter');
    await waitUntil(async () => !(await input.isVisible()) || (await input.inputValue()) !== text, `the quick pick to accept "${label}"`, { timeoutMs });
  }

  /**
   * Opens a file of the workspace by its name through Quick Open ("Go to
   * File..."), as a user would, and waits until its editor tab is active.
   */
  async openFile(name, { timeoutMs = 30_000 } = {}) {
    await this.runCommand('Go to File...', { timeoutMs });
    await this.pick(name, name, { timeoutMs, what: `Quick Open to offer ${name} (is it in the workspace?)` });
    await waitUntil(async () => (await this.activeEditorTitle()) === name, `the editor of ${name}`, { timeoutMs });
  }

  /**
   * Answers a save dialog with a path. In a browser, VS Code asks in its
   * simple file dialog (a quick input holding a path): the path is typed
   * over the proposed one and accepted with its OK button.
   */
  async saveAs(path, { timeoutMs = 20_000 } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(path);
    await waitUntil(async () => (await input.inputValue()) === path, `the save dialog to hold ${path}`, { timeoutMs });
    // Enter first completes the path in the dialog's list; its OK button accepts it.
    await this.page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first().click({ timeout: timeoutMs });
    await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** The open quick input: `{ title, placeholder, value, items }` (item labels), or undefined when none is open. */
  async quickInput() {
    const widget = this.page.locator('.quick-input-widget');
    if (!(await widget.isVisible())) return undefined;
    return {
      title: (await widget.locator('.quick-input-title').textContent().catch(() => ''))?.trim() ?? '',
      placeholder: (await widget.locator('input').getAttribute('placeholder')) ?? '',
      value: await widget.locator('input').inputValue(),
      items: (await widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
    };
  }

  /** Waits for a quick input (a quick pick, a simple file dialog) to be open; resolves to `quickInput()`. */
  async waitForQuickInput({ timeoutMs = 20_000 } = {}) {
    return waitUntil(() => this.quickInput(), 'a quick input to open', { timeoutMs });
  }

  /** Closes the open quick input (Escape), as a user cancelling it. */
  async cancelQuickInput() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The modal dialog shown now (`showWarningMessage(..., { modal: true })`): `{ message, detail, buttons }`, or undefined. */
  async dialog() {
    const box = this.page.locator('.monaco-dialog-box');
    if (!(await box.isVisible())) return undefined;
    return box.evaluate((el) => ({
      message: el.querySelector('.dialog-message-text')?.textContent?.trim() ?? '',
      detail: el.querySelector('.dialog-message-detail')?.textContent?.trim() ?? '',
      buttons: [...el.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => b.textContent?.trim() ?? ''),
    }));
  }

  /** Waits for a modal dialog; resolves to `dialog()`. */
  async waitForDialog({ timeoutMs = 20_000 } = {}) {
    return waitUntil(() => this.dialog(), 'a modal dialog', { timeoutMs });
  }

  /** Clicks a modal dialog's button by its label and waits for the dialog to close. */
  async clickDialogButton(label, { timeoutMs = 20_000 } = {}) {
    const box = this.page.locator('.monaco-dialog-box');
    await box.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
    await box.waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /**
   * The notification toasts shown now: `[{ message, source, buttons }]`
   * (buttons are the action labels, in order).
   */
  async notifications() {
    return this.page.locator('.notification-toast .notification-list-item').evaluateAll((items) =>
      items.map((item) => ({
        message: item.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
        source: item.querySelector('.notification-list-item-source')?.textContent?.trim() ?? '',
        buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.textContent?.trim() ?? ''),
      })),
    );
  }

  /** Waits for a notification whose message contains `text` (a string or RegExp); resolves to it. */
  async waitForNotification(text, { timeoutMs = 30_000 } = {}) {
    const matches = (message) => (typeof text === 'string' ? message.includes(text) : text.test(message));
    return waitUntil(async () => (await this.notifications()).find((n) => matches(n.message)), `a notification saying ${text}`, { timeoutMs });
  }

  /** Clicks a button of the notification whose message contains `text`; waits for that notification to close. */
  async clickNotificationButton(text, button, { timeoutMs = 30_000 } = {}) {
    await this.waitForNotification(text, { timeoutMs });
    const item = this.page.locator('.notification-toast .notification-list-item').filter({ hasText: text }).first();
    await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
    await item.waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** Closes every notification toast with its close button (at most 20, in case one keeps coming back). */
  async dismissNotifications() {
    const close = this.page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close');
    for (let i = 0; i < 20 && (await close.count()) > 0; i++) await close.first().click({ force: true, timeout: 2000 }).catch(() => undefined);
  }

  /** The status bar items: `[{ id, text, icons, label }]` (`icons`: codicon names, e.g. `record`; `label`: the aria-label). */
  async statusBarItems() {
    return this.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((items) =>
      items.map((item) => ({
        id: item.id,
        text: item.textContent?.replace(/\s+/g, ' ').trim() ?? '',
        icons: [...item.querySelectorAll('.codicon')].flatMap((icon) => [...icon.classList].filter((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin').map((c) => c.slice('codicon-'.length))),
        label: item.querySelector('a, [role="button"]')?.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '',
      })),
    );
  }

  /** The status bar items an extension contributes (their ids start with the extension id). */
  async extensionStatusBarItems(extensionId) {
    const prefix = extensionId.toLowerCase();
    return (await this.statusBarItems()).filter((item) => item.id.toLowerCase().startsWith(prefix));
  }

  /** The hover text of a status bar item, shown by hovering it. */
  async statusBarTooltip(id, { timeoutMs = 10_000 } = {}) {
    const item = this.page.locator(`#workbench\\.parts\\.statusbar .statusbar-item[id="${id}"]`);
    await item.hover();
    const hover = this.page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).last();
    await hover.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = (await hover.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
    // Move away and wait for the hover to go, so it cannot take the next keystrokes.
    await this.page.mouse.move(0, 0);
    await hover.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => this.page.keyboard.press('Escape'));
    return text;
  }

  /**
   * The content frames of the open webviews: the inner `#active-frame` of
   * each `iframe.webview.ready` (TESTING.md). Playwright's locators pierce
   * open shadow roots, so `frame.locator('table.visually-hidden')` finds a
   * widget's hidden table.
   */
  async webviewFrames() {
    const frames = [];
    for (const frame of this.page.frames()) {
      const element = await frame.frameElement().catch(() => undefined);
      if (!element) continue;
      if ((await element.getAttribute('id')) === 'active-frame') frames.push(frame);
    }
    return frames;
  }

  /** Waits for a webview whose content has `selector` (shadow roots pierced); resolves to its frame. */
  async waitForWebview(selector, { timeoutMs = 60_000 } = {}) {
    return waitUntil(async () => {
      for (const frame of await this.webviewFrames()) {
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    }, `a webview showing ${selector}`, { timeoutMs });
  }

  /** The editor tabs: `[{ title, active }]` (a document's name, a webview panel's title). */
  async editorTabs() {
    return this.page.locator('.tabs-container .tab').evaluateAll((tabs) =>
      tabs.map((tab) => ({ title: tab.querySelector('.label-name')?.textContent?.trim() ?? tab.getAttribute('aria-label') ?? '', active: tab.classList.contains('active') })),
    );
  }

  /** Title of the active editor tab (a webview panel's title, a document's name). */
  async activeEditorTitle() {
    return (await this.page.locator('.tabs-container .tab.active .label-name, .tabs-container .tab.active .monaco-icon-label').first().textContent())?.trim() ?? '';
  }

  /** The text of the active text editor (Monaco renders only visible lines; enough for short documents). */
  async activeEditorText() {
    return this.page.evaluate(() => {
      const lines = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line')];
      return lines
        .map((line) => ({ top: parseFloat(line.style.top || '0'), text: line.textContent?.replace(/\u00a0/g, ' ') ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text)
        .join('\n');
    });
  }

  /** Waits until the active text editor's text satisfies `accept`; resolves to the text. */
  async waitForEditorText(accept, { timeoutMs = 20_000 } = {}) {
    return waitUntil(async () => {
      const text = await this.activeEditorText();
      return accept(text) ? text : undefined;
    }, 'the active editor to show the expected text', { timeoutMs });
  }

  /**
   * Saves a screenshot of the whole window: no pointer hover, no
   * notification toasts. With `height`, the window is that tall for the
   * shot (a long webview shows whole), then back to its size.
   */
  async screenshot(path, { height } = {}) {
    mkdirSync(join(path, '..'), { recursive: true });
    const { page } = this;
    await page.mouse.move(0, 0);
    await this.dismissNotifications();
    const size = page.viewportSize();
    if (height && size) {
      await page.setViewportSize({ width: size.width, height });
      // The workbench lays itself out again, then the webview and its charts redraw.
      await waitUntil(() => page.evaluate((h) => Math.abs(document.querySelector('.monaco-workbench').getBoundingClientRect().height - h) < 2, height), 'the workbench to fill the taller window', { timeoutMs: 10_000 });
      await sleep(1000);
    }
    await page.screenshot({ path });
    if (height && size) await page.setViewportSize(size);
    return path;
  }
}
