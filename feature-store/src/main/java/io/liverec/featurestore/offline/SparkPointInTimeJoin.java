package io.liverec.featurestore.offline;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@link PointInTimeSql} run by Spark SQL, for joins at scale: the same SQL text as DuckDB's, over
 * the entity rows as a DataFrame and the feature views' Parquet sources (any Hadoop file system).
 * The session time zone must be UTC ({@code spark.sql.session.timeZone}); this class sets it.
 */
public final class SparkPointInTimeJoin {
  private SparkPointInTimeJoin() {}

  public static Dataset<Row> join(
      SparkSession spark,
      Dataset<Row> entityRows,
      String timestampColumn,
      List<PointInTimeSql.View> views,
      boolean fullFeatureNames) {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    PointInTimeSql sql =
        new PointInTimeSql(
            Arrays.asList(entityRows.columns()), timestampColumn, views, fullFeatureNames);
    entityRows.createOrReplaceTempView("pit_entity_input");
    spark
        .sql(sql.entityViewSql("pit_entity_input"))
        .createOrReplaceTempView(PointInTimeSql.ENTITY_ROWS);
    for (int i = 0; i < views.size(); i++) {
      String input = "pit_source_input_" + i;
      spark
          .read()
          .parquet(ParquetSources.sourcePath(views.get(i).spec().source.uri))
          .createOrReplaceTempView(input);
      spark.sql(sql.sourceViewSql(i, input)).createOrReplaceTempView(PointInTimeSql.source(i));
    }
    return spark.sql(sql.sql());
  }
}
