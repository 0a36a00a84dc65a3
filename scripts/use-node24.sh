# Source this file (". scripts/use-node24.sh") to put Node 24 on PATH.
# The journal's database driver needs Node >= 22.14 (N-API 10). Where the machine's Node is older,
# Node 24 LTS is taken from the npm registry's `node` package into .tools/ (ignored by git).
_utvag_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_utvag_node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=14)?0:1)'
}
if ! _utvag_node_ok; then
  _utvag_tools="$_utvag_root/.tools/node24"
  if [ ! -x "$_utvag_tools/node_modules/node/bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo missing) is too old; installing Node 24 from the npm registry into .tools/" >&2
    mkdir -p "$_utvag_tools"
    (cd "$_utvag_tools" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund --loglevel=error node@24 >&2)
  fi
  export PATH="$_utvag_tools/node_modules/node/bin:$PATH"
fi
echo "Using Node $(node --version)" >&2
unset -f _utvag_node_ok
unset _utvag_root _utvag_tools
