package commands

import (
	"os"
	"strconv"
)

// testStride is 1 unless AMFCALL_TEST_STRIDE=N is set, as
// .ci/windows-tests sets it for the run under Wine (see
// convert/testfiles_test.go): then a test that runs the same command on
// every file of the test data takes every Nth file, the Linux run of the
// same tree having taken them all.
var testStride = func() int {
	n, err := strconv.Atoi(os.Getenv("AMFCALL_TEST_STRIDE"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}()
