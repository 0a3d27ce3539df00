package io.liverec.gateway;

import java.util.Map;

/** POST /v1/recommend. */
public record RecommendRequest(String userId, String surface, Map<String, String> context, int k) {}
