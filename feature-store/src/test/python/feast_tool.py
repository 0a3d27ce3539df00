"""Real Feast Python, driven by LiveRec's Java tests and benchmarks (run with the venv's python, TZ=UTC).

  feast_tool.py list REPO                         feature views as JSON
  feast_tool.py online REPO REQUEST.json          get_online_features; values as base64 Value protos
  feast_tool.py materialize REPO START END        FeatureStore.materialize (ISO times, UTC)
  feast_tool.py materialize-incremental REPO END
  feast_tool.py historical REPO ENTITIES.parquet FEATURES OUT.parquet   get_historical_features
  feast_tool.py bench-online REPO REQUEST.json N  latency of get_online_features (ms: p50 p99)
  feast_tool.py bench-rounds REPO REQUEST.json    the same in rounds: reads N per stdin line,
                                                  answers that round's N latencies (ms) as JSON
  feast_tool.py descriptors MESSAGE...            field numbers and types of the installed protos
"""
import base64
import json
import sys
import time
from datetime import datetime, timezone

from feast import FeatureStore


def _store(repo):
    return FeatureStore(repo_path=repo)


def _time(text):
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def cmd_list(repo):
    out = []
    for fv in sorted(_store(repo).list_feature_views(), key=lambda v: v.name):
        out.append(
            {
                "name": fv.name,
                "entities": list(fv.entities),
                "entity_columns": [[c.name, str(c.dtype)] for c in fv.entity_columns],
                "features": [[f.name, str(f.dtype)] for f in fv.features],
                "ttl_seconds": int(fv.ttl.total_seconds()) if fv.ttl else 0,
                "online": fv.online,
                "source_path": fv.batch_source.path,
                "timestamp_field": fv.batch_source.timestamp_field,
                "created_timestamp_column": fv.batch_source.created_timestamp_column,
                "tags": dict(fv.tags),
                "intervals": [
                    [s.astimezone(timezone.utc).isoformat(), e.astimezone(timezone.utc).isoformat()]
                    for s, e in fv.materialization_intervals
                ],
            }
        )
    print(json.dumps(out))


def _entity_rows(req):
    keys = list(req["entities"].keys())
    n = len(req["entities"][keys[0]])
    return [{k: req["entities"][k][i] for k in keys} for i in range(n)]


def cmd_online(repo, request):
    req = json.load(open(request))
    resp = _store(repo).get_online_features(
        features=req["features"], entity_rows=_entity_rows(req)
    ).proto
    results = []
    for vec in resp.results:
        results.append(
            {
                "values": [base64.b64encode(v.SerializeToString()).decode() for v in vec.values],
                "statuses": [int(s) for s in vec.statuses],
                "ts": [t.seconds for t in vec.event_timestamps],
            }
        )
    print(json.dumps({"names": list(resp.metadata.feature_names.val), "results": results}))


def cmd_materialize(repo, start, end):
    _store(repo).materialize(start_date=_time(start), end_date=_time(end))


def cmd_materialize_incremental(repo, end):
    _store(repo).materialize_incremental(end_date=_time(end))


def cmd_historical(repo, entities, features, out):
    import pandas as pd
    import pyarrow.parquet as pq

    entity_df = pd.read_parquet(entities)
    store = _store(repo)
    t0 = time.perf_counter()
    table = store.get_historical_features(
        entity_df=entity_df, features=features.split(",")
    ).to_arrow()
    seconds = time.perf_counter() - t0
    pq.write_table(table, out)
    print(json.dumps({"rows": table.num_rows, "seconds": seconds}))


def cmd_bench_online(repo, request, n):
    req = json.load(open(request))
    store = _store(repo)
    rows = _entity_rows(req)
    for _ in range(20):
        store.get_online_features(features=req["features"], entity_rows=rows).proto
    ms = []
    for _ in range(int(n)):
        t0 = time.perf_counter()
        store.get_online_features(features=req["features"], entity_rows=rows).proto
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    print(json.dumps({"p50": ms[len(ms) // 2], "p99": ms[min(len(ms) - 1, int(len(ms) * 0.99))]}))


def cmd_bench_rounds(repo, request):
    """Rounds interleaved with the caller's own measurements, so both see the same machine load."""
    req = json.load(open(request))
    store = _store(repo)
    rows = _entity_rows(req)
    for _ in range(20):
        store.get_online_features(features=req["features"], entity_rows=rows).proto
    print("ready", flush=True)
    for line in sys.stdin:
        ms = []
        for _ in range(int(line)):
            t0 = time.perf_counter()
            store.get_online_features(features=req["features"], entity_rows=rows).proto
            ms.append((time.perf_counter() - t0) * 1000)
        print(json.dumps(ms), flush=True)


def cmd_descriptors(*names):
    """Fields (name, number, type, label, message/enum type) of the installed protos' messages."""
    from google.protobuf import descriptor_pool

    import feast.protos.feast.core.Registry_pb2  # noqa: F401  (loads the registry's protos)
    import feast.protos.feast.serving.ServingService_pb2  # noqa: F401

    pool = descriptor_pool.Default()
    out = {}
    for n in names:
        d = pool.FindMessageTypeByName(n)
        out[n] = {
            f.name: [
                f.number,
                f.type,
                3 if getattr(f, "is_repeated", False) else 1,
                (f.message_type or f.enum_type).full_name if (f.message_type or f.enum_type) else "",
            ]
            for f in d.fields
        }
    print(json.dumps(out))


if __name__ == "__main__":
    name, args = sys.argv[1].replace("-", "_"), sys.argv[2:]
    globals()["cmd_" + name](*args)
