// Stops a command at once, with a clear message, on a Node too old for the journal's database driver
// (better-sqlite3-multiple-ciphers needs N-API 10, i.e. Node 22.14 or newer); on older Node it crashes on load.
// Written in syntax that old Node versions still parse, since it exists for them.
var parts = process.versions.node.split('.').map(Number);
var major = parts[0];
var minor = parts[1];
if (major > 22 || (major === 22 && minor >= 14)) process.exit(0);
var lines = [
  '',
  'Utväg Reception needs Node 22.14 or newer (Node 24 LTS recommended); this is Node ' + process.versions.node + '.',
  "The journal's database driver cannot load on older Node.",
  '',
  '  With nvm, fnm or volta:  nvm install   (reads .nvmrc: 24)',
  '  Without a version manager (Linux, macOS):  . scripts/use-node24.sh',
  '    puts Node 24 from the npm registry on PATH for this shell.',
  '',
];
process.stderr.write(lines.join('\n') + '\n');
process.exit(1);
