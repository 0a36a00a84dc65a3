import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

export function unusedCalendars(data?: object): string[];
export function withoutUnusedCalendars(source: string, marks?: readonly string[]): string;
export function holidaysVitePlugin(): VitePlugin;
export function holidaysEsbuildPlugin(): EsbuildPlugin;
