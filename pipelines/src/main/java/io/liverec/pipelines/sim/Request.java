package io.liverec.pipelines.sim;

/**
 * What a ranking policy knows when a request arrives: the same fields the impression log records as
 * request-time features.
 *
 * @param requestId unique id of the request
 * @param userId the requesting user
 * @param day the day, {@code yyyy-MM-dd}
 * @param hour hour of day (0-23, UTC)
 * @param ts request time, epoch milliseconds (UTC)
 * @param surface where the list is shown ({@link Surface#id()})
 * @param recentRooms the user's recently clicked rooms, most recent first (at most 20)
 */
public record Request(
    long requestId,
    long userId,
    String day,
    int hour,
    long ts,
    String surface,
    long[] recentRooms) {}
