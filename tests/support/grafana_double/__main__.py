# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python3 -m grafana_double ...``: serve the Grafana double (see ``server.main``)."""

import sys

from grafana_double.server import main

sys.exit(main())
