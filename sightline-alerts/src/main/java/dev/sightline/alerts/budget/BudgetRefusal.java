package dev.sightline.alerts.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Why a call was refused: the hard budget that is spent, when it frees up, and a sentence for the
 * caller. {@code spentUsd} counts stored calls and calls processed but not yet stored.
 */
public record BudgetRefusal(String name, Budget.Scope scope, String scopeValue, BigDecimal spentUsd,
    BigDecimal limitUsd, Instant resetsAt, Duration retryAfter, String message) {}
