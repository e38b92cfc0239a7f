/**
 * Spend budgets: per project, service, route or user, over a calendar month or a rolling window,
 * with a forecast to the window's end; hard budgets refuse new gateway calls once spent.
 */
package dev.sightline.alerts.budget;
