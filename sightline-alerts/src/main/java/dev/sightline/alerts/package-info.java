/**
 * Warning before the bill does: alert rules over any figure Sightline has and their state
 * (pending, firing, resolved), cost anomalies found against an hour-of-week baseline with their
 * cause attributed, budgets, and notifications. Reads the store; never writes SQL.
 */
package dev.sightline.alerts;
