package io.liverec.gateway;

/**
 * A user's online features as the user tower takes them (categorical ids and a recent sequence).
 */
public record UserFeatures(long[] sparse, long[] sequence) {}
