package io.liverec.registry;

/** A metric point as MLflow stores it: replaying the same point is harmless. */
public record MetricPoint(String key, double value, long timestamp, long step) {}
