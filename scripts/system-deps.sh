#!/usr/bin/env bash
# System packages (Debian). `site`: what building needs, Pango for WeasyPrint's PDFs and a
# font. `test` (the default): those, plus Chromium for browser tests, a Java runtime for the
# Nu HTML Checker and poppler-utils (pdftoppm, pdftotext) for the PDF tests.
# Installed with apt-get when run as root; otherwise the missing ones are named with the
# command to install them.
set -euo pipefail
what="${1:-test}"
need=()
# grep -c reads all its input: with pipefail, grep -q could stop early and the writer's
# SIGPIPE would count as a missing package.
ldconfig -p 2>/dev/null | grep -c libpango-1.0 >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -ci dejavu >/dev/null || need+=(fonts-dejavu-core)
if [ "$what" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)  # handout PDFs read back as PNG
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
