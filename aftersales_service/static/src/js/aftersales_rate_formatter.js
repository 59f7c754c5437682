import { registry } from "@web/core/registry";
import { formatPercentage } from "@web/views/fields/formatters";

/**
 * A rate of the KPI report (an average of 0/1 flags) as a percentage, and empty when
 * nothing was measured: "no data" is not 0 %. Pivot and graph measures use it with
 * widget="aftersales_rate".
 */
export function formatAftersalesRate(value, options = {}) {
    if (value === false || value === null || value === undefined) {
        return "";
    }
    return formatPercentage(value, options);
}

registry.category("formatters").add("aftersales_rate", formatAftersalesRate);
