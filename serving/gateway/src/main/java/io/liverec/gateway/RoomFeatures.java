package io.liverec.gateway;

/** A room's online features as the ranker takes them. */
public record RoomFeatures(long[] sparse, float[] dense) {}
