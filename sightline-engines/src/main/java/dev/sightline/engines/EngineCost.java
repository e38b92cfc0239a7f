package dev.sightline.engines;

import java.math.BigDecimal;

/**
 * What a self-hosted engine's GPU time cost over a window, shared over the LLM calls it served by
 * output tokens: {@code cost} = price per hour × GPU hours (× the engine's share of its service's
 * output tokens when one service serves several models). {@code costPerRequest} and
 * {@code costPer1kOutputTokens} are null when no call matched, with {@code reason} saying why;
 * {@code gpuHours} and {@code cost} are null when the service's up time is unknown.
 */
public record EngineCost(BigDecimal gpuPricePerHour, BigDecimal gpuHours, BigDecimal cost, long requests,
    long outputTokens, BigDecimal costPerRequest, BigDecimal costPer1kOutputTokens, String reason) {}
