import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The folder boundaries of DESIGN.md are held by the lint configuration: prove it refuses each crossing. */
describe('import boundaries', () => {
  const eslint = new ESLint();
  const crossings: [string, string][] = [
    ['renderer/app/Example.tsx', "import { openEncrypted } from '../../db/connection';"],
    ['renderer/ui/Example.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/features/account/Example.tsx', "import { UsersPage } from '../admin/UsersPage';"],
    ['renderer/features/admin/Example.tsx', "import { App } from '../../app/App';"],
    ['db/example.ts', "import { createRouter } from '../main/router.js';"],
    ['main/services/example.ts', "import { app } from 'electron';"],
    ['main/services/example2.ts', "import Database from 'better-sqlite3-multiple-ciphers';"],
    ['preload/contract/common.ts', "import { readFileSync } from 'node:fs';"],
    ['db/example2.ts', "import { contract } from '../preload/contract/index.js';"],
    ['preload/domain/example.ts', "import { z } from 'zod';"],
    ['preload/domain/example2.ts', "import { contract } from '../contract/index.js';"],
    ['renderer/ui/Example2.ts', "import { parseIdentityNumber } from '../../preload/personnummer';"],
  ];
  it.each(crossings)('%s may not import that', async (filePath, code) => {
    const [result] = await eslint.lintText(`${code}\nexport const used = [${code.match(/import \{?\s*(\w+)/)![1]}];\n`, { filePath });
    expect(result!.messages.map((message) => message.ruleId)).toContain('no-restricted-imports');
  });

  const allowed: [string, string][] = [
    ['renderer/features/admin/Example.tsx', "import { call } from '../../ui/api';"],
    ['renderer/features/admin/Example2.tsx', "import { contract } from '../../../preload/contract/index';"],
    ['renderer/ui/Example3.ts', "import { TRACKS } from '../../preload/domain/index';"],
    ['db/example3.ts', "import { TRACKS } from '../preload/domain/index.js';"],
    ['preload/contract/example.ts', "import { TRACKS } from '../domain/index.js';"],
  ];
  it.each(allowed)('%s may import that', async (filePath, code) => {
    const [result] = await eslint.lintText(`${code}\nexport const used = [${code.match(/import \{?\s*(\w+)/)![1]}];\n`, { filePath });
    expect(result!.messages.filter((message) => message.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
