export function findChromium(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | undefined;
export const CHROMIUM_ARGS: string[];
