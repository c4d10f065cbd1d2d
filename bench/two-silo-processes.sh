# Sourced by the bench scripts that train on two silo processes.
#   start_two_silos DIR: a Redis server on loopback and two vaecf-silo processes (the Release build, one LibTorch thread
#     each, job storage DIR/jobs, logs DIR/silo0.log and DIR/silo1.log); returns once both are ready. Sets silo_port
#     (train with --cluster redis://127.0.0.1:$silo_port) and silo_pids (Redis, then the two silos).
#   stop_two_silos: stops the silos, then Redis.
start_two_silos() {
  local dir=$1 i
  silo_port=$((20000 + RANDOM % 20000)); silo_pids=()
  redis-server --bind 127.0.0.1 --port "$silo_port" --save "" --appendonly no >/dev/null &
  silo_pids+=($!)
  for i in 0 1; do
    Silo__Clustering=Redis Silo__RedisConnectionString=127.0.0.1:$silo_port Silo__AdvertisedAddress=127.0.0.1 \
    Silo__SiloPort=$((silo_port + 10 + i)) Silo__GatewayPort=$((silo_port + 20 + i)) Silo__HttpPort=$((silo_port + 30 + i)) \
    Storage__Directory=$dir/jobs Torch__Threads=1 \
      dotnet src/Silo/bin/Release/net10.0/vaecf-silo.dll >"$dir/silo$i.log" 2>&1 &
    silo_pids+=($!)
  done
  for i in 0 1; do
    until curl -sf "http://127.0.0.1:$((silo_port + 30 + i))/health/ready" >/dev/null; do sleep 0.5; done
  done
}

stop_two_silos() {
  local p
  # The silos first, while Redis is up: a silo whose membership table is gone hangs in its shutdown. One that has not
  # left after 30 s is killed.
  kill "${silo_pids[@]:1}" 2>/dev/null || true
  for p in "${silo_pids[@]:1}"; do
    timeout 30 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true
  done
  kill "${silo_pids[0]}" 2>/dev/null || true
}
