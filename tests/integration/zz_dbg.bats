load helpers
@test dbg {
  set_args true
  runtime --debug run "$ID"
  echo "$output" | tail -30 >&3
}
