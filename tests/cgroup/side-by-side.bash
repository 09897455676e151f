# side-by-side.bash - sourced by the VM scenarios that run the same checks for ocirun and,
# beside it, for the guest's runc: ocirun's results count ("N passed, M failed"), runc's are
# printed for comparison.  Set $label to the runtime under check before its checks.
fail=0
pass=0
runc_results=()
label=ocirun

# check EXPR: one check of $label's
check() {
  local r
  if eval "$1"; then r=ok; else r="not ok"; fi
  if [ "$label" = ocirun ]; then
    echo "$r - $1"
    if [ "$r" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  else
    echo "runc: $r - $1"
    runc_results+=("$r")
  fi
}

# runc_summary: the line of runc's results
runc_summary() {
  local r ok=0
  for r in "${runc_results[@]}"; do [ "$r" = ok ] && ok=$((ok + 1)); done
  echo "runc $(runc --version | head -n 1 | awk '{print $3}'): $ok of ${#runc_results[@]} checks ok"
}
