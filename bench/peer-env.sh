# Sourced by the Retouch-vs-PyTorch scripts (restore-bench.sh, synth-bench.sh, synth-quality.sh)
# so both sides run alike: the same engine threads (RETOUCH_THREADS, default 2, also OpenMP's) and
# tcmalloc when it is installed. Sets $threads.
threads="${RETOUCH_THREADS:-2}"
export RETOUCH_THREADS="$threads" OMP_NUM_THREADS="$threads"
alloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ -f "$alloc" ]; then export LD_PRELOAD="$alloc"; fi
