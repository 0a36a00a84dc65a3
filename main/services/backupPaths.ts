import { randomBytes } from 'node:crypto';
import { DomainError } from './errors.js';

/**
 * In the desktop app, a backup path comes only from the main process's own file dialog, never as a
 * path string from the renderer: the dialog's answer stays here, and the renderer gets an opaque token
 * for it (and the path to show). A channel that takes a path then accepts only such a token, so a page
 * that has been subverted cannot make the main process read, write or restore from a path of its
 * choosing. The browser harness and the CLI have no dialog: there the path typed by the admin (or IT
 * on the command line) is the path, and no DialogChoices exists.
 */
export type DialogKind = 'file' | 'folder';

const TOKEN = /^dialog:[0-9a-f]{32}$/;
/** Enough for one screen's worth of choices; the oldest is forgotten first. */
const REMEMBERED = 32;

export class DialogChoices {
  private readonly chosen = new Map<string, { path: string; kind: DialogKind }>();

  /** Remembers a path the dialog answered; returns the token the renderer sends back for it. */
  issue(chosenPath: string, kind: DialogKind): string {
    const token = `dialog:${randomBytes(16).toString('hex')}`;
    this.chosen.set(token, { path: chosenPath, kind });
    while (this.chosen.size > REMEMBERED) this.chosen.delete(this.chosen.keys().next().value!);
    return token;
  }

  /** The path behind a token of the right kind; anything else (a raw path above all) is refused next to the field. */
  resolve(value: string, kind: DialogKind, field: string): string {
    const found = TOKEN.test(value) ? this.chosen.get(value) : undefined;
    if (!found || found.kind !== kind)
      throw new DomainError('INVALID_INPUT', 'error.backup.pathFromDialogOnly', { [field]: 'error.backup.pathFromDialogOnly' });
    return found.path;
  }
}
