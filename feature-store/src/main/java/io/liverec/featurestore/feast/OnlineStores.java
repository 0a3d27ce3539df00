package io.liverec.featurestore.feast;

import io.liverec.featurestore.online.OnlineStore;
import io.liverec.featurestore.online.RedisOnlineStore;
import io.liverec.featurestore.online.SqliteOnlineStore;

/** Opens the online store a Feast repository is configured with. */
public final class OnlineStores {
  private OnlineStores() {}

  public static OnlineStore open(OnlineStoreConfig config) {
    if (config instanceof OnlineStoreConfig.Redis r) {
      return new RedisOnlineStore(r.host(), r.port());
    }
    return new SqliteOnlineStore(((OnlineStoreConfig.Sqlite) config).path());
  }
}
