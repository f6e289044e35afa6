STATUS_CODES = {
    "E100": "batch too large",
    "E101": "unknown metric type",
    "E200": "timestamp out of range",
    "E300": "tenant quota exceeded",
}
