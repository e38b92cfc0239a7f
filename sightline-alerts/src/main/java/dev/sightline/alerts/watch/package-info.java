/**
 * The alert loop: every interval it evaluates the rules from config and from the API, feeds the
 * cost anomaly detector's verdicts and other {@link dev.sightline.alerts.watch.AlertSource}s through
 * the same state machine, stores the transitions and notifies the webhooks.
 */
package dev.sightline.alerts.watch;
