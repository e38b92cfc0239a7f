/**
 * Webhook notifications for alerts: {@link dev.sightline.alerts.notify.Notifier} groups, de-duplicates,
 * repeats and resolves {@link dev.sightline.alerts.notify.Notice}s and delivers them to
 * {@link dev.sightline.alerts.notify.WebhookTarget}s (generic JSON or Slack-compatible) with retries,
 * keeping every attempt as a {@link dev.sightline.alerts.notify.Delivery}.
 */
package dev.sightline.alerts.notify;
