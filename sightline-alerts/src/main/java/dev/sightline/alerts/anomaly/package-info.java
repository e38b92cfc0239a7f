/**
 * Cost anomalies without a threshold: each hour against the same hour of earlier weeks (median and
 * MAD), "same traffic, N× cost", slow drifts, and the cause attributed by model, route, user and
 * token bucket. Entry point: {@link dev.sightline.alerts.anomaly.CostAnomalyDetector}.
 */
package dev.sightline.alerts.anomaly;
