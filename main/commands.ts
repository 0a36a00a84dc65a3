/**
 * The commands IT types to run the admin CLI and the server, as they work where this code runs: in
 * an install from the build (dist/main/*.js beside package.json and the production packages, no
 * sources, no tsx, no scripts/) npm's `cli` and `server` scripts fail, so a message that says what
 * to run next names `node dist/main/…` there, and the npm scripts in the project's files.
 */
const fromBuild = import.meta.url.endsWith('.js');

export const CLI_COMMAND = fromBuild ? 'node dist/main/cli.js' : 'npm run cli --';
export const SERVER_COMMAND = fromBuild ? 'node dist/main/server.js' : 'npm run server';
