#!/usr/bin/env bash
# Install what the browser / HTML-validation tests need beyond Python:
#   - Debian's chromium (driven by Playwright via executable_path; never `playwright install`)
#   - a Java runtime for the Nu HTML Checker (vnu.jar)
#   - npm devDependencies (vnu-jar, axe-core) from package-lock.json
#   - nginx and Apache, which tests/test_hosting_nginx.py and test_hosting_apache.py start (as a plain process on a free port, with its own
#     config, pid and logs in a temp folder) to serve a built site with the recipe from docs/hosting.md
#   - OpenSSH's server and rsync, which tests/test_deploy_server.py uses to run the site workflow's own-server
#     deploy step for real (a throwaway sshd on a free port on 127.0.0.1, its own host key and config)
# Idempotent: each step runs only when needed. Meant for Debian 12, run as root.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

log() { printf 'install-system-deps: %s\n' "$*" >&2; }

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        log "need root to apt-get install $*"; exit 1
    fi
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        apt-get update -qq
        apt_updated=1
    fi
    log "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
fi

if ! command -v java >/dev/null 2>&1; then
    apt_install default-jre-headless
fi

# Debian 12's plain nginx (its nginx-light is only nginx plus an echo module). The test needs only the
# binary; on a machine that starts services on install, Debian's own nginx also listens on port 80 after
# this (in a container, policy-rc.d usually stops that).
if [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx
fi
# Apache 2.4, which tests/test_hosting_apache.py starts the same way (apache2 -X, its own config in a temp
# folder). As with nginx, a machine that starts services on install also gets Debian's own Apache on port 80.
if [ ! -x /usr/sbin/apache2 ]; then
    apt_install apache2
fi
# openssl makes the test's self-signed certificate (the recipes are tested over https, as documented).
if ! command -v openssl >/dev/null 2>&1; then
    apt_install openssl
fi

# sshd (from openssh-server, which brings the ssh client) and rsync. tests/test_deploy_server.py starts its own
# sshd (sshd -D -f CONFIG, on a free port on 127.0.0.1); on a machine that starts services on install, Debian's
# own sshd also listens on port 22 after this (in a container, policy-rc.d usually stops that).
if [ ! -x /usr/sbin/sshd ]; then
    apt_install openssh-server
fi
if ! command -v rsync >/dev/null 2>&1; then
    apt_install rsync
fi

if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi

# The npm packages (vnu-jar, axe-core, decap-cms's ready-made dist/) as package-lock.json pins them, checked
# against its integrity, without decap-cms's build tree (tools/npm_tools.py: ~4 s instead of npm ci's 30-100 s).
# Again when missing or older than the lock file.
# A node_modules that is a symlink (a git worktree sharing another checkout's) is left alone: installing
# would replace the folder it points to, under every other checkout that uses it.
if [ -L node_modules ]; then
    log "node_modules is a symlink to $(readlink -f node_modules): not touched"
elif [ ! -e node_modules/.tools-installed ] || [ package-lock.json -nt node_modules/.tools-installed ]; then
    log "npm packages from package-lock.json"
    python3 tools/npm_tools.py
fi

for f in node_modules/vnu-jar/build/dist/vnu.jar node_modules/axe-core/axe.min.js /usr/bin/chromium; do
    [ -e "$f" ] || { log "missing after install: $f"; exit 1; }
done
command -v java >/dev/null 2>&1 || { log "java still missing"; exit 1; }
[ -x /usr/sbin/nginx ] || { log "nginx still missing"; exit 1; }
[ -x /usr/sbin/apache2 ] || { log "apache2 still missing"; exit 1; }
[ -x /usr/sbin/sshd ] || { log "sshd still missing"; exit 1; }
command -v rsync >/dev/null 2>&1 || { log "rsync still missing"; exit 1; }
log "ok"
