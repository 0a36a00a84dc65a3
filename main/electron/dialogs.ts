/** The operating system's file dialogs for the backup screen: the renderer gets only the chosen path back. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { FileChoice } from '../../preload/contract/index.js';

const BACKUP_FILTERS = [{ name: 'Utväg backup (SQLCipher 4)', extensions: ['db'] }];

/** A suggested name for a new backup: the day in local time, as the screens write dates. */
function suggestedName(now: Date): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `utvag-${day}.db`;
}

/**
 * Opens the dialog for one purpose, modal to the main window. Cancelling answers null. Nothing the
 * page sends reaches the dialog but the purpose, so a page cannot steer it to a path of its choice.
 */
export async function chooseFile(window: BrowserWindow | null, purpose: Exclude<FileChoice, 'probe'>): Promise<string | null> {
  if (!window || window.isDestroyed()) return null;
  if (purpose === 'backupFile') {
    const answer = await dialog.showSaveDialog(window, {
      defaultPath: suggestedName(new Date()),
      filters: BACKUP_FILTERS,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    return answer.canceled || !answer.filePath ? null : answer.filePath;
  }
  const options: OpenDialogOptions =
    purpose === 'backupFolder'
      ? { properties: ['openDirectory', 'createDirectory'] }
      : { properties: ['openFile'], filters: [...BACKUP_FILTERS, { name: '*', extensions: ['*'] }] };
  const answer = await dialog.showOpenDialog(window, options);
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}

/** First run, server mode: the certificate authority (PEM) that signed the Utväg server's certificate. */
export async function chooseCaFile(window: BrowserWindow | null): Promise<string | null> {
  if (!window || window.isDestroyed()) return null;
  const answer = await dialog.showOpenDialog(window, {
    properties: ['openFile'],
    filters: [
      { name: 'CA certificate (PEM)', extensions: ['pem', 'crt', 'cer'] },
      { name: '*', extensions: ['*'] },
    ],
  });
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}
