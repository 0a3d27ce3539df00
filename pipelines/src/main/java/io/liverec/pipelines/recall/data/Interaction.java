package io.liverec.pipelines.recall.data;

/**
 * One click of a user on a room (dense ids), at {@code timestamp} (epoch ms); {@code converted}
 * when the click became an effective watch (conversion in the sense of docs/DATA.md).
 */
public record Interaction(int user, int room, long timestamp, boolean converted) {}
