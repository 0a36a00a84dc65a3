import { DomainError } from '../services/errors.js';
import type { DomainHandlers, ShellServices } from './context.js';

/**
 * The first-run choice to become a client of the centre's Utväg server instead of creating a local
 * journal. Only before any journal exists here: a workstation that holds one never leaves it behind
 * for a server by a click (moving a journal onto the server is a backup restore there). The switch
 * itself is the workstation shell's (main/remote/workstation.ts): only it can replace the router.
 */
export function workstationHandlers(shell: ShellServices): DomainHandlers<'workstation.connectServer'> {
  return {
    'workstation.connectServer': async (input, { app }) => {
      if (app.status().state !== 'setup') throw new DomainError('ALREADY_SET_UP', 'error.server.notFirstRun');
      if (!shell.connectServer) throw new DomainError('FORBIDDEN', 'error.server.notHere');
      return shell.connectServer(input);
    },
  };
}
