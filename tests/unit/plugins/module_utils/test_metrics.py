# Copyright: vigil.observability contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import math

from ansible_collections.vigil.observability.plugins.module_utils._metrics import metric_first, metric_sum, samples

PAGE = """# HELP alertmanager_notifications_total The total number of attempted notifications.
alertmanager_notifications_total{integration="email"} 0
alertmanager_notifications_total{integration="webhook"} 3
alertmanager_notifications_total_extra 7
alertmanager_config_last_reload_successful 1
up NaN
"""


def test_samples_match_the_exact_name():
    assert samples(PAGE, "alertmanager_notifications_total") == [0.0, 3.0]
    assert metric_sum(PAGE, "alertmanager_notifications_total") == 3.0


def test_nan_is_left_out_of_a_sum():
    assert metric_sum(PAGE, "up") == 0.0


def test_first_sample_and_nan_when_absent():
    assert metric_first(PAGE, "alertmanager_config_last_reload_successful") == 1.0
    assert math.isnan(metric_first(PAGE, "prometheus_config_last_reload_successful"))
    assert math.isnan(metric_first(None, "x"))
