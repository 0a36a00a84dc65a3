/**
 * Runs in the page before each component test file: the contract bridge the preload would install,
 * carried to the real router by the `utvagInvoke` command (see vitest.browser.config.ts), the
 * interface texts, and the kit's style marker, as renderer/main.tsx does for the app.
 */
import { configure } from 'vitest-browser-react/pure';
import { commands } from 'vitest/browser';
import type { Result, UtvagBridge } from '../../preload/contract/index';
import { initI18n } from '../i18n';
import { markKitStylesPresent } from '../ui/kit';
import '../ui/styles.css';
import '../ui/tokens.css';

declare module 'vitest/browser' {
  interface BrowserCommands {
    utvagInvoke(channel: string, input: unknown): Promise<unknown>;
  }
}

const bridge: UtvagBridge = { invoke: (channel, input) => commands.utvagInvoke(channel, input) as Promise<Result<unknown>> };
window.utvag = Object.freeze(bridge);

initI18n();
markKitStylesPresent();
// As the app renders (renderer/main.tsx): effects run twice, so a form that breaks on it breaks here too.
configure({ reactStrictMode: true });
