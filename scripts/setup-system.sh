#!/usr/bin/env bash
# System packages the tests need: LibreOffice Calc (headless) recalculates the output workbook.
# As root with apt it installs what is missing; otherwise it says what to install and carries on
# (the LibreOffice tests then skip locally, and fail where CI=true).
set -euo pipefail
# The tests drive LibreOffice through UNO from the system Python: both are needed.
if command -v soffice >/dev/null 2>&1 && /usr/bin/python3 -c "import uno" >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-system: installing LibreOffice Calc (headless)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui python3-uno >/dev/null
else
    echo "setup-system: LibreOffice with Python UNO not found; install the Debian packages libreoffice-calc-nogui python3-uno" >&2
fi
