# assert.bash - output checks shared by the bats suites (integration, security, reliability,
# clients); each reports through the suite's fail().

# output_has TEXT...: the last call's output holds each TEXT (literally).
output_has() {
	local text
	for text in "$@"; do
		[[ "$output" == *"$text"* ]] || fail "the output lacks \"$text\": $output"
	done
}
