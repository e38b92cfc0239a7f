package dev.sightline.engines;

import java.time.Instant;

/**
 * One GPU (or MIG instance) as dcgm-exporter or the nvidia-smi collector reports it: identity labels,
 * the pod using it where Kubernetes labels are present, and its latest figures (null when not
 * reported). {@code id} is {@code <service>:<UUID>} (plus {@code :<GPU_I_ID>} for a MIG instance), or
 * {@code <service>:<host>:<gpu index>} without a UUID. {@code source} is {@code dcgm} or {@code nvidia-smi}.
 */
public record Gpu(String id, String service, String source, String host, String gpu, String uuid, String model,
    String migProfile, String migInstance, String pod, String namespace, String container, Double utilization,
    Double memoryUsedMiB, Double memoryFreeMiB, Double powerWatts, Double temperatureC, Double smClockMhz,
    Double xidErrors, Instant lastSeen, boolean stale) {}
