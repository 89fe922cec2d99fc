"""The lecture's `reporte` job: per ID_PERSONA, the number of transactions and the sum of MONTO.

Usage: spark-submit reporte.py INPUT OUTPUT
INPUT is the pipe-delimited `transacciones.data` file (or a directory of such files) with a header;
OUTPUT is the directory the parquet result is written to. Both are plain paths or URIs, so the same
script runs on HDInsight (abfss://...) and locally (azlake's emulator hands it local paths).
"""

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType


def main(argv):
    if len(argv) != 3:
        print("usage: reporte.py INPUT OUTPUT", file=sys.stderr)
        return 2
    source, target = argv[1], argv[2]
    spark = SparkSession.builder.appName("reporte").getOrCreate()
    transacciones = (spark.read
                     .option("header", True)
                     .option("sep", "|")
                     .csv(source))
    # MONTO is money: sum it as a decimal, not a float, so totals are exact to the cent
    reporte = (transacciones
               .withColumn("MONTO", F.col("MONTO").cast(DecimalType(18, 2)))
               .groupBy("ID_PERSONA")
               .agg(F.count(F.lit(1)).alias("CANTIDAD_TRANSACCIONES"),
                    F.sum("MONTO").alias("MONTO_TOTAL"))
               .orderBy("ID_PERSONA"))
    reporte.write.mode("overwrite").parquet(target)
    print(f"reporte: {reporte.count()} personas written to {target}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
