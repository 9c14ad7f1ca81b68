#!/usr/bin/env bash
# The test driver behind `make test` and `make test-quick`.
#
#   tools/test.sh all          every stage, from a bare machine
#   tools/test.sh quick        setup + lint + argument specs + unit + render
#   tools/test.sh STAGE...     chosen stages (setup docker images controllers mirror yamllint
#                              ansible-lint sanity argspecs unit unit-matrix render integration
#                              molecule; sanity-main: sanity with the main ansible-core)
#   tools/test.sh "lanes:A B+C"  stages side by side: lane A beside lane B then C (see lanes())
#
# The support window (tools/matrix.sh): the main ansible-core (.venv) runs everything; sanity runs
# under the lowest and the newest ($other_cores below), the unit tier and one Molecule scenario
# under all three.
#
# The pytest tiers: unit (tests/unit: pure Python), render (tests/render, marker render: the
# roles through ansible-playbook), integration (tests/integration, marker kuma: the uptime_kuma_*
# modules against the real Uptime Kuma).
#
# VIGIL_SCENARIOS="role_x tier_y" limits the molecule stage; VIGIL_TEST_ARTIFACTS=upstream
# takes artifacts from the vendors instead of the local test mirror.
# Each stage prints its duration; a summary table closes the run.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
export PATH="$venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
export PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 NO_COLOR=1
cache="$root/.cache"
mkdir -p "$cache"
# The lowest and the newest ansible-core of the support window, beside the main one (.venv).
other_cores="2.16 2.21"

declare -a summary=()
declare -a failure_tails=()
failed=0
stage_logs=$(mktemp -d "$cache/stage-logs.XXXXXX")
trap 'rm -rf "$stage_logs"' EXIT

# The end of a failed stage's output is repeated after the summary (CI shows the tail of a run).
remember_failure() {  # remember_failure NAME LOGFILE LINES
  failure_tails+=("$(printf '=== end of %s\n%s' "$1" "$(tail -n "$3" "$2")")")
}

now() { date +%s; }
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

stage() {  # stage NAME COMMAND...
  local name=$1; shift
  local start; start=$(now)
  echo "=== stage $name: start $(date -u +%H:%M:%S)"
  local log="$stage_logs/$name.log"
  if "$@" > >(tee "$log") 2>&1; then status=ok; else status=FAILED; failed=1; fi
  # Let the tee of the process substitution write everything, but never wait on it without
  # bound: a background process the stage started may still hold its pipe open.
  local tee_pid=$! _
  for _ in $(seq 1 50); do kill -0 "$tee_pid" 2>/dev/null || break; sleep 0.1; done
  [ "$status" = ok ] || remember_failure "$name" "$log" 25
  local took=$(( $(now) - start ))
  echo "=== stage $name: $status in $(fmt $took)"
  summary+=("$(printf '%-40s %-7s %s' "$name" "$status" "$(fmt $took)")")
  [ "$status" = ok ]
}

# --- stages ----------------------------------------------------------------

do_setup() {
  # The main ansible-core's venv, the same way as the other cores' (tools/matrix.sh).
  tools/matrix.sh prepare 2.19 || return 1
  # `python3` was looked up before .venv/bin existed: forget that, so python3 is the venv's.
  hash -r
}

do_docker() { tools/docker.sh; }
do_images() { tools/images.sh bookworm trixie; }
do_mirror() {
  [ "${VIGIL_TEST_ARTIFACTS:-mirror}" = upstream ] && { echo "artifacts: upstream"; return 0; }
  python3 tests/artifacts/build.py --out "$cache/test-mirror" && \
  python3 tests/artifacts/serve.py --root "$cache/test-mirror" --ensure
}
do_yamllint() { yamllint --strict .; }
do_ansible_lint() { ansible-lint --profile production; }
do_sanity() { tools/sanity.sh; }
do_argspecs() { python3 tools/check_argument_specs.py roles; }
do_unit() { "$venv/bin/python" -m pytest -q tests/unit; }
do_render() { "$venv/bin/python" -m pytest -q -m render tests/render; }
do_integration() { "$venv/bin/python" -m pytest -q -m kuma tests/integration; }

# Scenarios run VIGIL_MOLECULE_JOBS at a time (default 2): they mostly wait on containers and
# services, so two overlap well on two cores. Each scenario's log is printed whole when it ends.
# The matrix scenario (VIGIL_MATRIX_SCENARIO, empty for none) runs again under the other
# ansible-cores of the window (VIGIL_MATRIX_CORES) right after its main run, in the same job:
# its containers have fixed names, so its runs never overlap. Those runs check, converge and
# re-run it (.config/molecule/matrix.yml); its verify runs under the main core.
matrix_scenario=${VIGIL_MATRIX_SCENARIO-role_node_exporter}
matrix_cores=${VIGIL_MATRIX_CORES-$other_cores}
# The Mitogen scenario (VIGIL_MITOGEN_SCENARIO, empty for none) runs once more, whole, under
# Mitogen's mitogen_linear strategy and its docker transport (see docs/performance.md), right after
# its main run in the same job; its verify checks that the modules ran in Mitogen's interpreters.
mitogen_scenario=${VIGIL_MITOGEN_SCENARIO-role_loki}
mitogen_run() {
  local strategies
  strategies=$("$venv/bin/python" -c 'import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__) + "/plugins/strategy")') || return 1
  ANSIBLE_STRATEGY_PLUGINS=$strategies ANSIBLE_STRATEGY=mitogen_linear VIGIL_TEST_CONNECTION=docker VIGIL_TEST_MITOGEN=true \
    molecule test -s "$1"
}
do_molecule() {
  eval "$(python3 tools/test_env.py)" || return 1
  local scenarios=${VIGIL_SCENARIOS:-$(python3 tools/test_env.py --scenarios)}
  local jobs=${VIGIL_MOLECULE_JOBS:-2}
  local logs
  logs=$(mktemp -d "$cache/molecule-logs.XXXXXX")
  local rc=0 running=0
  declare -A started=()
  finish_one() {
    local done_pid=""
    wait -n -p done_pid || true
    local item
    for item in ${started[$done_pid]//+/ }; do
      local status; status=$(cat "$logs/$item.rc")
      local took=$(( $(cat "$logs/$item.end") - $(cat "$logs/$item.start") ))
      echo "=== stage molecule $item: start $(date -u -d @"$(cat "$logs/$item.start")" +%H:%M:%S)"
      cat "$logs/$item.log"
      if [ "$status" = 0 ]; then st=ok; else st=FAILED; rc=1; remember_failure "molecule $item" "$logs/$item.log" 40; fi
      echo "=== stage molecule $item: $st in $(fmt $took)"
      summary+=("$(printf '%-40s %-7s %s' "molecule $item" "$st" "$(fmt $took)")")
    done
    unset "started[$done_pid]"
    running=$((running - 1))
  }
  local job
  for scenario in $scenarios; do
    job=$scenario
    if [ "$scenario" = "$matrix_scenario" ]; then
      for core in $matrix_cores; do job+="+$scenario@$core"; done
    fi
    if [ "$scenario" = "$mitogen_scenario" ]; then job+="+$scenario@mitogen"; fi
    if [ "$running" -ge "$jobs" ]; then finish_one; fi
    (
      for item in ${job//+/ }; do
        now > "$logs/$item.start"
        if [ "$item" = "${item%@*}" ]; then
          molecule test -s "$item" > "$logs/$item.log" 2>&1
        elif [ "${item#*@}" = mitogen ]; then
          mitogen_run "${item%@*}" > "$logs/$item.log" 2>&1
        else
          { tools/matrix.sh prepare "${item#*@}" &&
            tools/matrix.sh run "${item#*@}" molecule -c .config/molecule/config.yml -c .config/molecule/matrix.yml \
              test -s "${item%@*}"; } > "$logs/$item.log" 2>&1
        fi
        echo $? > "$logs/$item.rc"
        now > "$logs/$item.end"
      done
    ) &
    started[$!]=$job
    running=$((running + 1))
  done
  while [ "$running" -gt 0 ]; do finish_one; done
  [ $rc -eq 0 ] && rm -rf "$logs"
  return $rc
}

# The other ansible-cores of the support window (tools/matrix.sh): the lowest in a venv, the
# newest in the trixie controller container.
do_controllers() {
  local core
  for core in $other_cores; do tools/matrix.sh prepare "$core" || return 1; done
}
do_sanity_core() { tools/matrix.sh run "$1" tools/sanity.sh; }
do_unit_core() { tools/matrix.sh run "$1" python -m pytest -q -p no:cacheprovider tests/unit; }

run() {
  case $1 in
    setup) stage setup do_setup ;;
    docker) stage docker do_docker ;;
    images) stage images do_images ;;
    mirror) stage mirror do_mirror ;;
    yamllint) stage yamllint do_yamllint ;;
    ansible-lint) stage ansible-lint do_ansible_lint ;;
    controllers) stage controllers do_controllers ;;
    sanity) for core in $other_cores; do stage "sanity $core" do_sanity_core "$core"; done ;;
    sanity-main) stage sanity do_sanity ;;
    argspecs) stage argspecs do_argspecs ;;
    unit) stage unit do_unit ;;
    unit-matrix) for core in $other_cores; do stage "unit $core" do_unit_core "$core"; done ;;
    render) stage render do_render ;;
    integration) stage integration do_integration ;;
    molecule) do_molecule || failed=1 ;;
    *) echo "unknown stage $1" >&2; return 2 ;;
  esac
}

# Stages side by side: each argument is one lane, its stages (separated by "+") run in order.
# Each lane's output is printed whole when every lane has ended, in the order given. In `all`,
# one lane is render (ansible-playbook with up to 20 forks) after the mirror it takes checker
# binaries from; the other, the stages of one interpreter each (sanity, the unit tiers) after the
# other cores' controllers they need. ansible-lint runs before them, alone: beside render it took
# five times as long (5m04s against 1m04s alone, the clean-clone runs of 2026-12-06), and sanity
# 2.16 three times (4m14s against 1m22s). Static stages: 11m42s one after another (c6bf657),
# about 10 minutes this way (a278de1).
lanes() {
  local dir i=0 lane pid
  dir=$(mktemp -d "$cache/lanes.XXXXXX")
  local -a pids=()
  for lane in "$@"; do
    (
      summary=(); failure_tails=(); failed=0
      for s in ${lane//+/ }; do run "$s"; done
      [ ${#summary[@]} -eq 0 ] || printf '%s\n' "${summary[@]}" > "$dir/$i.summary"
      [ ${#failure_tails[@]} -eq 0 ] || printf '%s\n\n' "${failure_tails[@]}" > "$dir/$i.tails"
      exit $failed
    ) > "$dir/$i.log" 2>&1 &
    pids+=("$!")
    i=$((i + 1))
  done
  i=0
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
    cat "$dir/$i.log"
    [ -f "$dir/$i.summary" ] && mapfile -t -O "${#summary[@]}" summary < "$dir/$i.summary"
    [ -f "$dir/$i.tails" ] && failure_tails+=("$(cat "$dir/$i.tails")")
    i=$((i + 1))
  done
  rm -rf "$dir"
}

case ${1:-all} in
  all) set -- setup docker images yamllint argspecs ansible-lint "lanes:controllers+sanity+unit+unit-matrix+integration mirror+render" molecule ;;
  quick) set -- setup yamllint argspecs ansible-lint "lanes:render unit" ;;
esac

start_all=$(now)
for s in "$@"; do
  case $s in
    lanes:*) read -r -a lane_list <<< "${s#lanes:}"; lanes "${lane_list[@]}" ;;
    *) run "$s" ;;
  esac
  # Without the toolchain nothing after it can run.
  if [ $failed -ne 0 ] && [ "$s" = setup ]; then break; fi
done
total=$(( $(now) - start_all ))

if [ ${#failure_tails[@]} -gt 0 ]; then
  echo
  printf '%s\n\n' "${failure_tails[@]}"
fi
echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
printf '%-40s %-7s %s\n' total "$([ $failed -eq 0 ] && echo ok || echo FAILED)" "$(fmt $total)"
exit $failed
