#!/usr/bin/env bash
# Runs the Spark job the way a cluster runs it, on this machine: spark-submit with
# --master local-cluster[2,1,2048] (a standalone master, two workers and two executor JVMs, each
# started by its worker), the thin jar + --jars layout of README "Running on a cluster", models
# shipped with the job. Spark's launcher scripts are not on Maven Central, so the "distribution"
# is a folder with Spark's jars from Maven Central (retouch-spark/target/spark-lib) and a RELEASE
# file; spark-submit is its main class, org.apache.spark.deploy.SparkSubmit.
#
#   bench/spark-submit-local-cluster.sh [IMAGES_DIR]    # default: 8 generated 128x128 images
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-$ROOT/runs/spark-submit}"
T="$ROOT/retouch-spark/target"
[ -f "$T/retouch-spark.jar" ] && [ -d "$T/spark-lib" ] || (cd "$ROOT" && mvn -B -q -DskipTests -pl retouch-spark -am package)
mkdir -p "$WORK"
IN="${1:-$WORK/data/noisy}"
[ -n "${1:-}" ] || [ -d "$IN" ] || python3 "$ROOT/bench/spark_images.py" "$WORK/data" 8 128 --rgb-every 2

export SPARK_HOME="$WORK/spark-home" SPARK_SCALA_VERSION=2.13
rm -rf "$SPARK_HOME" && mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
ln -s "$T"/spark-lib/*.jar "$SPARK_HOME/jars/"
# Spark's own dependencies that Maven placed in lib/ because Retouch uses them too (a Spark
# distribution ships them in jars/ as well)
for j in "$T"/lib/{slf4j-api,jackson-annotations,jackson-core,jackson-databind,commons-codec,commons-compress,commons-logging}-*.jar; do
  ln -s "$j" "$SPARK_HOME/jars/"
done
echo "Spark 4.2.0 (jars from Maven Central) for retouch-spark" > "$SPARK_HOME/RELEASE"
cp "$ROOT/retouch-spark/src/main/resources/retouch-spark-log4j2.properties" "$SPARK_HOME/conf/log4j2.properties"

OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
rm -rf "$WORK/out"
cd "$T"
# shellcheck disable=SC2086
RETOUCH_MODELS="$ROOT/models" java $OPENS -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "local-cluster[2,1,2048]" --class retouch.spark.SparkMain \
  --jars "$(ls lib/*.jar | paste -sd, -)" \
  --conf spark.executor.memory=1g --conf spark.executor.memoryOverhead=1g \
  --conf spark.executorEnv.RETOUCH_THREADS=1 --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Djava.awt.headless=true" \
  --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true -Djava.awt.headless=true" \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
  retouch-spark.jar restore --input "$IN" --output "$WORK/out" --task denoise --quality fast --references "${REFS:-$WORK/data/clean}" "${@:2}"
