#!/usr/bin/env bash
# System packages the tests need: LibreOffice Calc (headless) recalculates the output workbook; LibreOffice
# Writer converts the report document and the statements to PDF; poppler-utils (pdftoppm) renders its pages;
# the Liberation fonts stand in for Arial with the same metrics; Chromium and its driver run the web page's
# browser tests (rcm-tables serve).
# As root with apt it installs what is missing; otherwise it says what to install and carries on
# (the LibreOffice tests then skip locally, and fail where CI=true).
set -euo pipefail
PACKAGES="libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils fonts-liberation2 chromium chromium-driver"
# The tests drive LibreOffice through UNO from the system Python: both are needed.
if command -v soffice >/dev/null 2>&1 && /usr/bin/python3 -c "import uno" >/dev/null 2>&1 \
        && [ -e /usr/lib/libreoffice/program/libswlo.so ] && command -v pdftoppm >/dev/null 2>&1 \
        && command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: installing LibreOffice Calc and Writer (headless), poppler-utils, Chromium and chromedriver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
else
    echo "setup-system: LibreOffice with Python UNO, Writer, pdftoppm, Chromium or chromedriver not found; install the Debian packages $PACKAGES" >&2
fi
