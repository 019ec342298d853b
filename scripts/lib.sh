# Shared set-up steps for ./scripts/run and ./scripts/test. Each step is idempotent and skips work that
# is already done, so the second run of either command starts in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${KEFU_PYTHON:-python3.11}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

apt_updated=0
ensure_apt() {
  # ensure_apt COMMAND PACKAGE: install PACKAGE from Debian's archive when COMMAND is missing.
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2"
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

ensure_python() {
  # ensure_python EXTRAS: a virtualenv in .venv with Kefu installed (editable) and EXTRAS ("" or "dev").
  local extras="$1" stamp="$VENV/.kefu-installed" want
  command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-$extras"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing Python dependencies into .venv"
  [ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  local target="$ROOT"; [ -n "$extras" ] && target="$ROOT[$extras]"
  "$VENV/bin/pip" install -q -e "$target" 2>&1 | grep -v '^WARNING: Location' || true
  DJANGO_SETTINGS_MODULE=kefu.settings "$VENV/bin/python" -c "import kefu.cli, django, ninja, celery" # fail loudly if the install did not work
  echo "$want" > "$stamp"
}

ensure_frontend() {
  # npm packages (package.json + lockfile) copied into kefu/static/vendor; nothing is fetched at run time.
  local vendor="$ROOT/kefu/static/vendor" stamp="$ROOT/kefu/static/vendor/.stamp" want
  ensure_apt npm npm
  want="$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing front-end packages"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    rm -rf "$vendor" && mkdir -p "$vendor/tabler" "$vendor/htmx" "$vendor/alpinejs" "$vendor/trix" "$vendor/sortablejs"
    cp -r "$ROOT/node_modules/@tabler/core/dist/css" "$ROOT/node_modules/@tabler/core/dist/js" "$vendor/tabler/"
    cp "$ROOT/node_modules/htmx.org/dist/htmx.min.js" "$vendor/htmx/"
    cp "$ROOT/node_modules/alpinejs/dist/cdn.min.js" "$vendor/alpinejs/alpine.min.js"
    cp "$ROOT/node_modules/trix/dist/trix.umd.min.js" "$ROOT/node_modules/trix/dist/trix.css" "$vendor/trix/"
    cp "$ROOT/node_modules/sortablejs/Sortable.min.js" "$vendor/sortablejs/"
    echo "$want" > "$stamp"
  fi
  ensure_widget
}

ensure_widget() {
  # /widget.js is built from kefu/portal/frontend/ into kefu/portal/build/ (git-ignored) by esbuild, a
  # devDependency whose Linux binary npm installed into node_modules: the build needs no network.
  local out="$ROOT/kefu/portal/build/widget.js" stamp="$ROOT/kefu/portal/build/.stamp" want
  want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT"/kefu/portal/frontend/*.js | sha256sum | cut -c1-16)"
  if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "building widget.js"
  (cd "$ROOT" && npm run --silent build)
  echo "$want" > "$stamp"
}

ensure_messages() {
  ensure_apt msgfmt gettext
  (cd "$ROOT" && "$VENV/bin/python" -m django compilemessages --settings=kefu.settings -v 0 \
    --ignore=.venv --ignore=node_modules --ignore=var)
}

ensure_browser() {
  # Debian's chromium for the Playwright browser tests (Playwright never downloads a browser here), and a
  # CJK font so that the zh-Hans screenshots show Chinese instead of empty boxes.
  ensure_apt chromium chromium
  [ -d /usr/share/fonts/truetype/wqy ] && return 0
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
}

ensure_dovecot() {
  # A real IMAP/POP3 server for the email-channel tests; the tests start their own instance.
  [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/pop3 ] && return 0
  log "installing dovecot"
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd dovecot-pop3d >/dev/null
}
