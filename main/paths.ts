import os from 'node:os';
import path from 'node:path';

/**
 * Where the journal lives unless UTVAG_DATA_DIR says otherwise: the per-user application-data
 * folder that Electron's userData also uses, so the app, the CLI and the harness agree.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.UTVAG_DATA_DIR) return path.resolve(env.UTVAG_DATA_DIR);
  const home = os.homedir();
  const appFolder = 'Utvag Reception';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appFolder);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appFolder);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appFolder);
}
