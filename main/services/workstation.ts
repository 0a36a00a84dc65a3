import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../db/atomicFile.js';
import path from 'node:path';
import { WorkstationPreferences } from '../../preload/contract/index.js';

/**
 * Preferences of this computer rather than of a person (the interface language). They hold no
 * personal data, so they live in a small plain file beside the journal and are readable before
 * anyone signs in — the login screen speaks the chosen language.
 */
const DEFAULTS: WorkstationPreferences = { language: 'sv', discreet: true };

function file(dataDir: string): string {
  return path.join(dataDir, 'workstation.json');
}

export function readWorkstationPreferences(dataDir: string): WorkstationPreferences {
  if (!existsSync(file(dataDir))) return DEFAULTS;
  try {
    const parsed = WorkstationPreferences.partial().safeParse(JSON.parse(readFileSync(file(dataDir), 'utf8')));
    return parsed.success ? { ...DEFAULTS, ...parsed.data } : DEFAULTS;
  } catch {
    return DEFAULTS;
  }
}

export function updateWorkstationPreferences(dataDir: string, changes: Partial<WorkstationPreferences>): WorkstationPreferences {
  const next = { ...readWorkstationPreferences(dataDir), ...changes };
  writeFileAtomically(file(dataDir), JSON.stringify(next));
  return next;
}
